package io.gatehouse.http;

import io.gatehouse.config.RouteConfig;
import io.vertx.ext.web.RoutingContext;

/**
 * What the pipeline learns about one request as it passes the stages: its id, when it started,
 * the route, the caller's identity and the upstream's time. Read by the access log and metrics at
 * the end. One instance per request, confined to the request's event loop.
 */
public final class Exchange {

  static final String KEY = "gatehouse.exchange";

  private final String requestId;
  private final long startNanos;
  private final boolean https;
  private final String clientAddress;
  private String path;
  private RouteConfig route;
  private long upstreamNanos = -1;
  private String subject;
  private String client;

  public Exchange(String requestId, long startNanos, boolean https, String clientAddress) {
    this.requestId = requestId;
    this.startNanos = startNanos;
    this.https = https;
    this.clientAddress = clientAddress;
  }

  /** The exchange of a request that passed {@link RequestIdHandler}. */
  public static Exchange of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  public String requestId() {
    return requestId;
  }

  public long startNanos() {
    return startNanos;
  }

  public boolean https() {
    return https;
  }

  /** The client's address after {@link TrustedProxies}: what logs and upstreams are told. */
  public String clientAddress() {
    return clientAddress;
  }

  /** The normalised request path, or null until routing normalised it. */
  public String path() {
    return path;
  }

  public void path(String normalizedPath) {
    this.path = normalizedPath;
  }

  /** The id of the chosen route, or null before routing or when none matched. */
  public String routeId() {
    return route == null ? null : route.id();
  }

  /** The chosen route, or null before routing or when none matched. */
  public RouteConfig route() {
    return route;
  }

  public void route(RouteConfig chosen) {
    this.route = chosen;
  }

  /** Nanoseconds from sending upstream to the upstream's response head, or -1 when nothing was proxied. */
  public long upstreamNanos() {
    return upstreamNanos;
  }

  public void upstreamNanos(long nanos) {
    this.upstreamNanos = nanos;
  }

  /** Who the guard admitted, or null for an open route. */
  public String subject() {
    return subject;
  }

  public void subject(String subject) {
    this.subject = subject;
  }

  /** The OAuth client or API key behind the request, or null. */
  public String client() {
    return client;
  }

  public void client(String client) {
    this.client = client;
  }
}
