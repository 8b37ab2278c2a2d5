package io.gatehouse.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.Future;
import java.util.List;

/**
 * First pipeline stage (platform): the request id, the caller's {@code X-Request-Id} when it is a
 * short plain token, else a generated one; where the request stands in a W3C trace (the caller's
 * valid {@code traceparent} and {@code tracestate} continued by a span of Gatehouse's own, else a
 * trace started here under the request id when that can be a trace id); and the client address,
 * which only a trusted proxy may name, through {@code X-Forwarded-For} or {@code Forwarded}
 * (several lines read as one list). With tracing export on, the exchange's span is started here
 * ({@link ServerSpans}) and its ids are the exchange's.
 */
public final class RequestIdStage implements Stage {

  private final TrustedProxies trustedProxies;
  private final ServerSpans spans;

  /** Without export: the trace context is passed on, nothing is recorded. */
  public RequestIdStage(TrustedProxies trustedProxies) {
    this(trustedProxies, null);
  }

  /** @param spans where each exchange's span starts, or null when tracing export is off */
  public RequestIdStage(TrustedProxies trustedProxies, ServerSpans spans) {
    this.trustedProxies = trustedProxies;
    this.spans = spans;
  }

  @Override
  public Future<Boolean> apply(Exchange exchange) {
    HttpHeaders headers = exchange.headers();
    String offered = headers.get(SecurityHeaders.REQUEST_ID);
    if (RequestIds.isWellFormed(offered)) {
      exchange.requestId(offered, RequestIds.isTraceId(offered));
    } else {
      exchange.requestId(RequestIds.generate(), true);
    }
    TraceParent parent = TraceParent.of(headers);
    String traceState = parent == null ? null : TraceState.of(headers);
    if (spans != null) {
      exchange.trace(spans.start(exchange, parent, traceState));
    } else if (parent != null) {
      exchange.trace(TraceContext.continued(parent, traceState));
    } else {
      String traceId = exchange.requestIdIsTraceId() ? exchange.requestId() : RequestIds.generate();
      exchange.trace(TraceContext.started(traceId));
    }
    String peer = exchange.connection().peerAddress();
    if (trustedProxies.isTrusted(peer)) {
      List<String> named = headers.getAll(trustedProxies.clientHeader());
      if (!named.isEmpty()) {
        exchange.clientAddress(trustedProxies.clientAddress(peer, named));
      }
    }
    return CONTINUE;
  }
}
