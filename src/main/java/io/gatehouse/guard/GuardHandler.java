package io.gatehouse.guard;

import io.gatehouse.config.RouteConfig;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.identity.Caller;
import io.gatehouse.identity.CallerResolver;
import io.gatehouse.identity.CsrfCheck;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Pipeline stage that admits a request to its route or answers 401. A route is open only with
 * {@code auth: [none]}; otherwise one of its credential kinds ({@code mtls}, {@code api_key},
 * {@code session}, tried in that order) must succeed, so a route that forgot {@code auth} admits
 * nobody. A session carried by its cookie must also pass the CSRF check on a state-changing
 * request (403). Stateless.
 */
public final class GuardHandler implements Handler<RoutingContext> {

  private final ClientCertificateAuthenticator certificates = new ClientCertificateAuthenticator();
  private final CallerResolver callers;
  private final CsrfCheck csrf;

  public GuardHandler(CallerResolver callers, CsrfCheck csrf) {
    this.callers = callers;
    this.csrf = csrf;
  }

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
        admit(ctx, identity);
        return;
      }
    }
    boolean byKey = route.auth().contains("api_key");
    boolean bySession = route.auth().contains("session");
    if (!byKey && !bySession) {
      ctx.fail(new ProblemException(Problem.UNAUTHORIZED));
      return;
    }
    Future<Optional<Caller>> keyCaller = byKey ? callers.apiKey(ctx) : Future.succeededFuture(Optional.empty());
    keyCaller.compose(found -> found.isPresent() || !bySession ? Future.succeededFuture(found) : callers.session(ctx))
        .onFailure(ctx::fail)
        .onSuccess(found -> {
          if (found.isEmpty()) {
            ctx.fail(new ProblemException(Problem.UNAUTHORIZED));
          } else if (!csrf.allows(ctx, found.get(), null)) {
            ctx.fail(new ProblemException(Problem.CSRF_REJECTED));
          } else {
            Caller caller = found.get();
            admit(ctx, new Identity(caller.subject(), caller.roles(), caller.scopes(), caller.client(), caller.carrier()));
          }
        });
  }

  private static void admit(RoutingContext ctx, Identity identity) {
    identity.attach(ctx);
    Exchange exchange = Exchange.of(ctx);
    exchange.subject(identity.subject());
    exchange.client(identity.client());
    ctx.next();
  }
}
