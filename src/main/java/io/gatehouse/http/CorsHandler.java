package io.gatehouse.http;

import io.gatehouse.config.CorsConfig;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-origin resource sharing per the Fetch standard, from {@code cors}. Origins are compared
 * exactly against the allow-list and only an allowed origin is ever echoed back; preflights are
 * answered here (204, or 403 for an origin or method not allowed) and never reach an upstream. A
 * request without {@code Origin}, or from the gateway's own origin, is not a CORS request.
 */
public final class CorsHandler implements Handler<RoutingContext> {

  private final CorsConfig config;
  private final Set<String> origins;
  private final Set<String> methods;
  private final Set<String> headers;
  private final String allowMethods;
  private final String allowHeaders;
  private final String exposeHeaders;
  private final String maxAge;

  public CorsHandler(CorsConfig config) {
    this.config = config;
    this.origins = Set.copyOf(config.allowedOrigins());
    this.methods = Set.copyOf(config.allowedMethods());
    this.headers = new HashSet<>(config.allowedHeaders());
    this.allowMethods = String.join(", ", config.allowedMethods());
    this.allowHeaders = String.join(", ", config.allowedHeaders());
    this.exposeHeaders = String.join(", ", config.exposedHeaders());
    this.maxAge = Long.toString(config.maxAge().toSeconds());
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin == null || isSameOrigin(request, origin)) {
      ctx.next();
      return;
    }
    boolean allowed = config.allowsAnyOrigin() || origins.contains(origin);
    HttpServerResponse response = ctx.response();
    String requestedMethod = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
    if (request.method() == HttpMethod.OPTIONS && requestedMethod != null) {
      preflight(ctx, origin, allowed, requestedMethod);
      return;
    }
    response.headers().add(HttpHeaders.VARY, "Origin");
    if (allowed) {
      allowOrigin(response.headers(), origin);
      if (!exposeHeaders.isEmpty()) {
        response.putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, exposeHeaders);
      }
    }
    ctx.next();
  }

  private void preflight(RoutingContext ctx, String origin, boolean allowed, String requestedMethod) {
    if (!allowed || !methods.contains(requestedMethod) || !headersAllowed(ctx.request().getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS))) {
      ctx.fail(new ProblemException(Problem.CORS_REJECTED));
      return;
    }
    HttpServerResponse response = ctx.response();
    MultiMap h = response.headers();
    h.add(HttpHeaders.VARY, "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    allowOrigin(h, origin);
    h.set(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, allowMethods);
    if (!allowHeaders.isEmpty()) {
      h.set(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, allowHeaders);
    }
    h.set(HttpHeaders.ACCESS_CONTROL_MAX_AGE, maxAge);
    ctx.request().resume();
    response.setStatusCode(204).end();
  }

  private void allowOrigin(MultiMap h, String origin) {
    h.set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, config.allowsAnyOrigin() ? "*" : origin);
    if (config.allowCredentials()) {
      h.set(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
  }

  private boolean headersAllowed(String requested) {
    if (requested == null || requested.isBlank()) {
      return true;
    }
    for (String name : requested.split(",")) {
      String trimmed = name.trim().toLowerCase(Locale.ROOT);
      if (!trimmed.isEmpty() && !headers.contains(trimmed)) {
        return false;
      }
    }
    return true;
  }

  /** The gateway's own pages post with an Origin header naming the gateway itself. */
  private static boolean isSameOrigin(HttpServerRequest request, String origin) {
    if (request.authority() == null) {
      return false;
    }
    String scheme = request.isSSL() ? "https://" : "http://";
    String authority = request.authority().toString().toLowerCase(Locale.ROOT);
    int port = request.authority().port();
    int defaultPort = request.isSSL() ? 443 : 80;
    if (port == defaultPort) {
      authority = request.authority().host().toLowerCase(Locale.ROOT);
    }
    return origin.equals(scheme + authority);
  }
}
