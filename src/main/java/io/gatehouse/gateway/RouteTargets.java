package io.gatehouse.gateway;

import io.gatehouse.config.RouteConfig;
import io.gatehouse.http.TrustedProxies;
import io.gatehouse.observability.RequestMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds each route's answering handler for one event loop: a built-in {@link Endpoint}, a
 * {@link FixedResponse}, or an {@link UpstreamProxy} with its own pooled client. */
public final class RouteTargets {

  private RouteTargets() {
  }

  public static DispatchHandler build(Vertx vertx, List<RouteConfig> routes, List<Endpoint> endpoints,
      TrustedProxies trustedProxies, long maxBodyBytes, RequestMetrics metrics) {
    ProxyHeaders headers = new ProxyHeaders(trustedProxies);
    Map<String, Handler<RoutingContext>> targets = new HashMap<>();
    endpoints.forEach(endpoint -> targets.put(endpoint.route().id(), endpoint));
    for (RouteConfig route : routes) {
      targets.put(route.id(), route.respond() != null
          ? new FixedResponse(route.respond())
          : new UpstreamProxy(route, new Upstream(vertx, route.upstream()), headers, maxBodyBytes, metrics));
    }
    return new DispatchHandler(targets);
  }
}
