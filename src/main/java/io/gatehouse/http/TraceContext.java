package io.gatehouse.http;

/**
 * Where an exchange stands in a W3C trace (Trace Context Level 1): the trace it belongs to, the
 * span Gatehouse is in it, and what travels on to the upstream. The trace is the caller's when
 * its {@code traceparent} was valid, else it starts here; either way Gatehouse's span is its own,
 * so what the upstream receives names Gatehouse as its parent, never the caller (§3.4, "Update
 * parent-id"). Immutable.
 *
 * @param traceId 32 lower-case hex digits: what the access log and problem bodies show as {@code trace_id}
 * @param spanId Gatehouse's span: 16 lower-case hex digits
 * @param sampled the {@code sampled} flag sent on: the caller's while Gatehouse records nothing,
 *     else whether Gatehouse records this trace
 * @param traceState the caller's {@code tracestate} to send on, checked and bounded ({@link TraceState}), or null
 */
public record TraceContext(String traceId, String spanId, boolean sampled, String traceState) {

  /** A trace that starts here, under {@code traceId}, unsampled (§3.2.2.5.1: the default when a trace starts). */
  static TraceContext started(String traceId) {
    return new TraceContext(traceId, RequestIds.spanId(), false, null);
  }

  /** The caller's trace continued by a span of Gatehouse's own, with the caller's sampling decision. */
  static TraceContext continued(TraceParent parent, String traceState) {
    return new TraceContext(parent.traceId(), RequestIds.spanId(), parent.sampled(), traceState);
  }

  /** The same trace from a span of Gatehouse's inside this one: the upstream call, the parent the upstream sees. */
  public TraceContext child(String childSpanId, boolean childSampled) {
    return new TraceContext(traceId, childSpanId, childSampled, traceState);
  }

  /** The {@code traceparent} that names this span as the parent: version {@code 00}. */
  public String traceparent() {
    return TraceParent.format(traceId, spanId, sampled);
  }
}
