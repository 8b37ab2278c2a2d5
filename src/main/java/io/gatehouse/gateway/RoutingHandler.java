package io.gatehouse.gateway;

import io.gatehouse.http.Exchange;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Pipeline stage that normalises the path (400 when it must be refused) and picks the route
 * (404 when none takes the request). Later stages read the choice with {@link #match}.
 */
public final class RoutingHandler implements Handler<RoutingContext> {

  private static final String MATCH = "gatehouse.route";

  private final RouteTable table;

  public RoutingHandler(RouteTable table) {
    this.table = table;
  }

  public static RouteMatch match(RoutingContext ctx) {
    return ctx.get(MATCH);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String path = PathNormalizer.normalize(request.path());
    if (path == null) {
      ctx.fail(new ProblemException(Problem.INVALID_PATH));
      return;
    }
    Exchange exchange = Exchange.of(ctx);
    exchange.path(path);
    String host = request.authority() == null ? null : request.authority().host();
    RouteMatch match = table.match(request.method().name(), host, path);
    if (match == null) {
      ctx.fail(new ProblemException(Problem.NOT_FOUND));
      return;
    }
    exchange.route(match.route());
    ctx.put(MATCH, match);
    ctx.next();
  }
}
