package io.gatehouse.http;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Objects;

/**
 * The server span of every exchange while tracing export is on: started by the first stage as a
 * child of the caller's {@code traceparent} (a remote parent) or as the root of a new trace, and
 * ended once the exchange is over, as an {@link ExchangeObserver}. Its context is what the other
 * stages' spans hang from ({@link ChildSpans}) and what the upstream is told of.
 *
 * <p>Named and described as OpenTelemetry's HTTP server conventions have it: {@code "GET books"}
 * ({@code {method} {route}}, the route being its id), {@code http.request.method} ({@code _OTHER}
 * for a method outside RFC 9110 and PATCH), {@code url.scheme}, {@code http.route},
 * {@code http.response.status_code}, an error status for a 5xx; and {@code gatehouse.caller.kind}:
 * the credential kind that admitted the caller ({@code jwt}, {@code session}, {@code api_key},
 * {@code mtls}, …) or {@code anonymous}. No path, query, header or subject: they carry tokens
 * and personal data, and the access log has what an operator needs to find the request
 * ({@code gatehouse.request_id}).
 *
 * <p>Only built with export on: with it off there is no tracer, and the first stage gives the
 * exchange a span id of its own without any OpenTelemetry object. Thread-safe.
 */
public final class ServerSpans implements ExchangeObserver {

  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> CALLER_KIND = AttributeKey.stringKey("gatehouse.caller.kind");
  private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("gatehouse.request_id");

  private final Tracer tracer;

  public ServerSpans(Tracer tracer) {
    this.tracer = Objects.requireNonNull(tracer, "tracer");
  }

  /**
   * Starts {@code exchange}'s server span.
   *
   * @param parent the caller's valid {@code traceparent}, or null to start a trace
   * @param traceState the caller's checked {@code tracestate}, passed on as it came, or null
   * @return the exchange's place in the trace: the span's trace id, its span id, whether it is sampled
   */
  TraceContext start(Exchange exchange, TraceParent parent, String traceState) {
    Context parentContext = parent == null ? Context.root() : Context.root().with(Span.wrap(
        SpanContext.createFromRemoteParent(parent.traceId(), parent.parentId(),
            parent.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(),
            io.opentelemetry.api.trace.TraceState.getDefault())));
    String method = method(exchange);
    Span span = tracer.spanBuilder(method.equals("_OTHER") ? "HTTP" : method)
        .setParent(parentContext)
        .setSpanKind(SpanKind.SERVER)
        .setAttribute(METHOD, method)
        .setAttribute(SCHEME, exchange.https() ? "https" : "http")
        .setAttribute(REQUEST_ID, exchange.requestId())
        .startSpan();
    exchange.span(span, span.isRecording() ? parentContext.with(span) : null);
    SpanContext own = span.getSpanContext();
    return new TraceContext(own.getTraceId(), own.getSpanId(), own.isSampled(), traceState);
  }

  /** Ends the exchange's span with what the exchange came to. */
  @Override
  public void completed(Exchange exchange, String routeId, long nanos) {
    Span span = exchange.span();
    if (span == null || !span.isRecording()) {
      return;
    }
    if (routeId != null) {
      span.setAttribute(ROUTE, routeId);
      String method = method(exchange);
      span.updateName((method.equals("_OTHER") ? "HTTP" : method) + " " + routeId);
    }
    int status = exchange.status();
    if (status > 0) {
      span.setAttribute(STATUS, (long) status);
    }
    if (status >= 500) {
      span.setStatus(StatusCode.ERROR);
    }
    Principal principal = exchange.principal();
    span.setAttribute(CALLER_KIND, principal == null ? "anonymous" : principal.kind().configName());
    span.end();
  }

  /** The request method as the conventions name it: one of RFC 9110's or PATCH, else {@code _OTHER}. */
  private static String method(Exchange exchange) {
    String name = exchange.method().name();
    return switch (name) {
      case "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH" -> name;
      default -> "_OTHER";
    };
  }
}
