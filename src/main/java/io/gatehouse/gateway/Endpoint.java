package io.gatehouse.gateway;

import io.gatehouse.config.RouteConfig;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A built-in endpoint: a path answered by Gatehouse itself, one handler per method. It is routed
 * like any configured route (same pipeline, same access log); a method it does not take gets 405
 * with {@code Allow}. Built-in paths win over configured routes with the same pattern.
 */
public final class Endpoint implements Handler<RoutingContext> {

  private final RouteConfig route;
  private final Map<HttpMethod, Handler<RoutingContext>> methods;
  private final String allow;

  public Endpoint(String id, String path, Map<HttpMethod, Handler<RoutingContext>> methods) {
    this.route = RouteConfig.builtin(id, path);
    this.methods = Map.copyOf(new LinkedHashMap<>(methods));
    this.allow = methods.keySet().stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
  }

  public RouteConfig route() {
    return route;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Handler<RoutingContext> handler = methods.get(ctx.request().method());
    if (handler == null) {
      ctx.response().putHeader(HttpHeaders.ALLOW, allow);
      ctx.fail(new ProblemException(Problem.METHOD_NOT_ALLOWED));
      return;
    }
    handler.handle(ctx);
  }
}
