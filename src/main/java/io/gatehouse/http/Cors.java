package io.gatehouse.http;

import io.gatehouse.config.CorsConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.util.Locale;
import java.util.Set;

/**
 * Pipeline stage: cross-origin resource sharing per the Fetch standard, from {@code cors}.
 * Origins are compared exactly against the allow-list and only an allowed origin is ever echoed
 * back; preflights are answered here (204, or 403 for an origin, method or header not allowed) and
 * never reach an upstream. A request without {@code Origin}, or from the gateway's own origin, is
 * not a CORS request. Gatehouse owns the policy: the proxy drops every {@code Access-Control-*}
 * header an upstream sends, so an upstream can neither widen it nor duplicate it.
 */
public final class Cors implements Stage {

  private final CorsConfig config;
  private final Origins origins;
  private final Set<String> allowedOrigins;
  private final Set<String> methods;
  private final Set<String> headers;
  private final String allowMethods;
  private final String allowHeaders;
  private final String exposeHeaders;
  private final String maxAge;

  public Cors(CorsConfig config, Origins origins) {
    this.config = config;
    this.origins = origins;
    this.allowedOrigins = Set.copyOf(config.allowedOrigins());
    this.methods = Set.copyOf(config.allowedMethods());
    this.headers = Set.copyOf(config.allowedHeaders());
    this.allowMethods = String.join(", ", config.allowedMethods());
    this.allowHeaders = String.join(", ", config.allowedHeaders());
    this.exposeHeaders = String.join(", ", config.exposedHeaders());
    this.maxAge = Long.toString(config.maxAge().toSeconds());
  }

  private boolean allows(String origin) {
    return config.allowsAnyOrigin() || allowedOrigins.contains(origin);
  }

  /**
   * Whether {@code origin} is listed by name (not merely matched by {@code *}): what admits a
   * cookie-authenticated WebSocket upgrade from another origin.
   */
  public boolean listsExplicitly(String origin) {
    return origin != null && allowedOrigins.contains(origin);
  }

  @Override
  public Future<Boolean> apply(Exchange exchange) {
    String origin = exchange.header(HttpHeaderNames.ORIGIN);
    if (origin == null || origins.isSameOrigin(exchange, origin)) {
      return CONTINUE;
    }
    boolean allowed = allows(origin);
    String requestedMethod = exchange.header(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    if (exchange.method() == HttpMethod.OPTIONS && requestedMethod != null) {
      if (!allowed || !methods.contains(requestedMethod)
          || !headersAllowed(exchange.header(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS))) {
        return Stage.reject(Problem.CORS_REJECTED);
      }
      Response.Builder preflight = Response.status(204)
          .header(HttpHeaderNames.VARY, "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
          .header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, config.allowsAnyOrigin() ? "*" : origin)
          .header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, allowMethods)
          .header(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, maxAge);
      if (config.allowCredentials()) {
        preflight.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
      }
      if (!allowHeaders.isEmpty()) {
        preflight.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, allowHeaders);
      }
      exchange.respond(preflight.build());
      return ANSWERED;
    }
    exchange.cors(this, allowed ? origin : null);
    return CONTINUE;
  }

  /** Adds the CORS headers of a cross-origin request's response; {@code allowedOrigin} null when the origin is not allowed. */
  void applyTo(HttpHeaders response, String allowedOrigin) {
    response.add(HttpHeaderNames.VARY, "Origin");
    if (allowedOrigin == null) {
      return;
    }
    response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, config.allowsAnyOrigin() ? "*" : allowedOrigin);
    if (config.allowCredentials()) {
      response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
    if (!exposeHeaders.isEmpty()) {
      response.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, exposeHeaders);
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
}
