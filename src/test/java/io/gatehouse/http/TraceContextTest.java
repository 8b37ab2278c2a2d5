package io.gatehouse.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trace an exchange is given by its first stage ({@link RequestIdStage}), with tracing export off. */
class TraceContextTest {

  static final String TRACE_ID = TraceParentTest.TRACE_ID;
  static final String PARENT_ID = TraceParentTest.PARENT_ID;
  private static final RequestIdStage STAGE = new RequestIdStage(new TrustedProxies(List.of()));

  private static Exchange decided(String... headers) {
    DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    for (int i = 0; i < headers.length; i += 2) {
      head.headers().add(headers[i], headers[i + 1]);
    }
    Exchange exchange = Exchanges.of(head);
    STAGE.apply(exchange);
    return exchange;
  }

  @Test
  void aCallersTraceContinuesUnderASpanOfGatehouses() {
    TraceContext trace = decided("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01",
        "tracestate", "congo=t61rcWkgMzE").trace();
    assertThat(trace.traceId()).isEqualTo(TRACE_ID);
    assertThat(trace.spanId()).matches("[0-9a-f]{16}").isNotEqualTo(PARENT_ID);
    assertThat(trace.sampled()).isTrue();
    assertThat(trace.traceState()).isEqualTo("congo=t61rcWkgMzE");
    assertThat(trace.traceparent()).isEqualTo("00-" + TRACE_ID + "-" + trace.spanId() + "-01");
  }

  @Test
  void theHeaderNameIsReadInAnyCase() {
    assertThat(decided("TraceParent", "00-" + TRACE_ID + "-" + PARENT_ID + "-00").trace().traceId())
        .isEqualTo(TRACE_ID);
  }

  @Test
  void withoutATraceparentTheTraceStartsHereUnderTheRequestId() {
    Exchange exchange = decided("tracestate", "congo=t61rcWkgMzE");
    TraceContext trace = exchange.trace();
    assertThat(trace.traceId()).isEqualTo(exchange.requestId());
    assertThat(trace.sampled()).isFalse();
    assertThat(trace.traceState()).as("a tracestate without its traceparent is not read").isNull();
  }

  @Test
  void aRequestIdThatCannotBeATraceIdIsNotUsedAsOne() {
    Exchange exchange = decided("x-request-id", "order-42");
    assertThat(exchange.requestId()).isEqualTo("order-42");
    assertThat(exchange.trace().traceId()).matches("[0-9a-f]{32}");
  }

  @Test
  void anInvalidOrRepeatedTraceparentStartsANewTraceAndDropsTracestate() {
    TraceContext invalid = decided("traceparent", "00-" + TRACE_ID + "-0000000000000000-01",
        "tracestate", "congo=t61rcWkgMzE").trace();
    assertThat(invalid.traceId()).isNotEqualTo(TRACE_ID);
    assertThat(invalid.traceState()).isNull();
    assertThat(invalid.sampled()).isFalse();
    TraceContext repeated = decided("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01",
        "traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01").trace();
    assertThat(repeated.traceId()).isNotEqualTo(TRACE_ID);
  }

  @Test
  void anInvalidTracestateIsDroppedAndTheTraceKept() {
    TraceContext trace = decided("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01",
        "tracestate", "Not Valid").trace();
    assertThat(trace.traceId()).isEqualTo(TRACE_ID);
    assertThat(trace.traceState()).isNull();
  }

  @Test
  void anExchangeRefusedBeforeTheFirstStageStillHasATrace() {
    Exchange exchange = Exchanges.of(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
    assertThat(exchange.trace().traceId()).isEqualTo(exchange.requestId());
  }
}
