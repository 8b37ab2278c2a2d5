package io.gatehouse;

import io.gatehouse.config.Config;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.gateway.Endpoint;
import io.gatehouse.identity.CallerResolver;
import io.gatehouse.identity.CsrfCheck;
import io.gatehouse.gateway.DispatchHandler;
import io.gatehouse.gateway.RouteTable;
import io.gatehouse.gateway.RoutingHandler;
import io.gatehouse.guard.GuardHandler;
import io.gatehouse.http.CorsHandler;
import io.gatehouse.http.FailureHandler;
import io.gatehouse.http.LimitsHandler;
import io.gatehouse.http.ProblemRenderer;
import io.gatehouse.http.RequestIdHandler;
import io.gatehouse.http.SecurityHeaders;
import io.gatehouse.http.SecurityHeadersHandler;
import io.gatehouse.http.TrustedProxies;
import io.gatehouse.observability.AccessLog;
import io.gatehouse.observability.AccessLogHandler;
import io.gatehouse.observability.RequestMetrics;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;

/**
 * The request pipeline, in the one place its order is written. Every response, proxied, built
 * in or error, passes the same stages. The stages that shape the response (request id, access
 * log, security headers) only register hooks, so they come first and hold even for a 413 or 408.
 */
final class Pipeline {

  private final RequestIdHandler requestIds;
  private final AccessLogHandler accessLog;
  private final SecurityHeadersHandler securityHeaders;
  private final LimitsHandler limits;
  private final CorsHandler cors;
  private final RoutingHandler routing;
  private final GuardHandler guard;
  private final FailureHandler failures;

  /** @param endpoints the built-in endpoints; their paths win over configured routes with equal patterns */
  Pipeline(Config config, SecurityHeaders headers, ProblemRenderer renderer, TrustedProxies trustedProxies,
      AccessLog log, RequestMetrics metrics, List<Endpoint> endpoints, CallerResolver callers) {
    this.requestIds = new RequestIdHandler(trustedProxies);
    this.accessLog = new AccessLogHandler(log, metrics);
    this.securityHeaders = new SecurityHeadersHandler(headers);
    this.limits = new LimitsHandler(config.server().limits(), renderer);
    this.cors = new CorsHandler(config.cors());
    List<RouteConfig> routes = new ArrayList<>();
    endpoints.forEach(endpoint -> routes.add(endpoint.route()));
    routes.addAll(config.routes());
    this.routing = new RoutingHandler(new RouteTable(routes));
    this.guard = new GuardHandler(callers, new CsrfCheck(config.issuer()));
    this.failures = new FailureHandler(renderer);
  }

  /** A router for one event loop; {@code dispatch} holds that loop's upstream clients. */
  Router router(Vertx vertx, DispatchHandler dispatch) {
    Router router = Router.router(vertx);
    router.route()
        .handler(requestIds)       // X-Request-Id, the exchange record; pauses the body
        .handler(accessLog)        // access-log line and metrics when the response ends
        .handler(securityHeaders)  // security headers and X-Response-Time on whatever answers
        .handler(limits)           // 413 declared body too large, 408 body too slow
        .handler(cors)             // CORS headers; preflights answered here
        .handler(routing)          // path normalisation (400) and route choice (404)
        // rate limiting arrives here, between route choice and guard
        .handler(guard)            // the route's auth (401, 403 CSRF)
        .handler(dispatch);        // built-in endpoint, fixed response or upstream proxy (502, 504)
    router.route().failureHandler(failures);
    return router;
  }
}
