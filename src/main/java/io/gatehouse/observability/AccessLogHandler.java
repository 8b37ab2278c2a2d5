package io.gatehouse.observability;

import io.gatehouse.http.Exchange;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Pipeline stage that arranges for the access-log line and the request meters to be written when
 * the response ends (or the connection drops), whatever stage produced the response.
 */
public final class AccessLogHandler implements Handler<RoutingContext> {

  private final AccessLog accessLog;
  private final RequestMetrics metrics;

  public AccessLogHandler(AccessLog accessLog, RequestMetrics metrics) {
    this.accessLog = accessLog;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Exchange exchange = Exchange.of(ctx);
    ctx.addEndHandler(done -> {
      HttpServerRequest request = ctx.request();
      HttpServerResponse response = ctx.response();
      long nanos = System.nanoTime() - exchange.startNanos();
      metrics.request(exchange.routeId(), response.getStatusCode(), nanos);
      accessLog.record(new AccessRecord(exchange.requestId(), request.method().name(),
          exchange.path() != null ? exchange.path() : truncate(request.path()), exchange.routeId(), response.getStatusCode(), response.bytesWritten(),
          nanos / 1e6, exchange.upstreamNanos() < 0 ? -1 : exchange.upstreamNanos() / 1e6,
          exchange.subject(), exchange.client(), exchange.clientAddress()));
    });
    ctx.next();
  }

  /** A path that failed normalisation is logged as received, but bounded. */
  private static String truncate(String raw) {
    return raw == null || raw.length() <= 256 ? raw : raw.substring(0, 256) + "...";
  }
}
