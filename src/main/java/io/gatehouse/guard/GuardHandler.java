package io.gatehouse.guard;

import io.gatehouse.config.RouteConfig;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Pipeline stage that admits a request to its route or answers 401. A route is open only with
 * {@code auth: [none]}; otherwise one of its credential kinds must succeed, so a route that
 * forgot {@code auth} admits nobody. Stateless.
 */
public final class GuardHandler implements Handler<RoutingContext> {

  private final ClientCertificateAuthenticator certificates = new ClientCertificateAuthenticator();

  @Override
  public void handle(RoutingContext ctx) {
    Exchange exchange = Exchange.of(ctx);
    RouteConfig route = exchange.route();
    if (route.isOpen()) {
      ctx.next();
      return;
    }
    if (route.auth().contains("mtls")) {
      Identity identity = certificates.authenticate(ctx.request().connection(), route.mtls());
      if (identity != null) {
        identity.attach(ctx);
        exchange.subject(identity.subject());
        ctx.next();
        return;
      }
    }
    ctx.fail(new ProblemException(Problem.UNAUTHORIZED));
  }
}
