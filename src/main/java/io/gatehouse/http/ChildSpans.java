package io.gatehouse.http;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/**
 * Spans for the work an exchange waits on (the upstream call, a store call, a fetch of an issuer's
 * keys), children of the exchange's server span ({@link ServerSpans}), recorded only while
 * tracing export is on and the exchange's trace is sampled. Otherwise every method costs one null
 * check and records nothing: no OpenTelemetry object is made.
 *
 * <p>How a child finds its parent: the upstream call is given its exchange. Store calls and key
 * fetches are made behind ports that know no exchange, so they find it in OpenTelemetry's current
 * context, which the {@link Pipeline} sets while a stage runs (and only with export on); and
 * {@link #traced} completes its future inside its parent's context again, so what a stage does
 * next in a callback (the second store call of a chain) is that exchange's child too. Work begun
 * from any other callback (after a password hash, say), or outside an exchange (a background
 * refresh, a sweep), finds no current span and is not traced. A future several exchanges share (a
 * single-flight key fetch) continues in the context of the exchange that started it, so a store
 * call another exchange makes in its callback would be counted to that one: such callbacks should
 * return to their stage first. Thread-safe.
 */
public final class ChildSpans {

  /** Records nothing: tracing export is off. */
  public static final ChildSpans NONE = new ChildSpans(null);
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final Tracer tracer;

  /** @param tracer the tracer of the exported spans, or null when export is off */
  public ChildSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  /** A span to start under {@code exchange}'s server span, or null when that is not recorded. */
  public SpanBuilder under(Exchange exchange, String name) {
    Context parent = tracer == null ? null : exchange.spanContext();
    return parent == null ? null : tracer.spanBuilder(name).setParent(parent);
  }

  /**
   * Runs {@code call}, an asynchronous step of the exchange whose stage is running, as a span
   * {@code name} of {@code kind}: ended when its future completes, with an error status and
   * {@code error.type} (the failure's class, never its message) if it failed. Without a recorded
   * exchange span current, {@code call} runs untraced.
   */
  public <T> Future<T> traced(String name, SpanKind kind, Attributes attributes, Supplier<Future<T>> call) {
    if (tracer == null) {
      return call.get();
    }
    Context parent = Context.current();
    if (!Span.fromContext(parent).isRecording()) {
      return call.get();
    }
    Span span = tracer.spanBuilder(name).setParent(parent).setSpanKind(kind).setAllAttributes(attributes)
        .startSpan();
    Future<T> result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      failed(span, e);
      span.end();
      throw e;
    }
    Promise<T> continued = Promise.promise();
    result.onComplete(outcome -> {
      if (outcome.failed()) {
        failed(span, outcome.cause());
      }
      span.end();
      try (Scope scope = parent.makeCurrent()) {
        continued.handle(outcome);
      }
    });
    return continued.future();
  }

  /** Marks {@code span} failed by {@code cause}: its class only, since a message may carry data. */
  public static void failed(Span span, Throwable cause) {
    span.setStatus(StatusCode.ERROR);
    span.setAttribute(ERROR_TYPE, cause.getClass().getName());
  }
}
