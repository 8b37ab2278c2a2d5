package io.gatehouse.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.TracingConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whose word decides a trace's sampling ({@code tracing.caller_sampled}), and the span counts. */
class TracingTest {

  /** A trace id whose ratio test fails for any ratio below 1/2 (its lower 63 bits are the largest). */
  private static final String UNLIKELY = "00000000000000007fffffffffffffff";
  private static final URI ENDPOINT = URI.create("http://localhost:4318/v1/traces");

  @Test
  void aCallersSampledFlagDecidesOnlyWhenFollowed() {
    Context sampledByCaller = Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(UNLIKELY,
        "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault())));
    TracingConfig follow = new TracingConfig(TracingConfig.Export.OTLP, ENDPOINT, 0.01, true);
    TracingConfig ignore = new TracingConfig(TracingConfig.Export.OTLP, ENDPOINT, 0.01, false);
    assertThat(decision(follow, sampledByCaller)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decision(ignore, sampledByCaller)).isEqualTo(SamplingDecision.DROP);
    Context unsampledByCaller = Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(
        "ffffffffffffffff0000000000000001", "b7ad6b7169203331", TraceFlags.getDefault(), TraceState.getDefault())));
    assertThat(decision(follow, unsampledByCaller)).isEqualTo(SamplingDecision.DROP);
    assertThat(decision(ignore, unsampledByCaller)).as("the ratio, by the trace id")
        .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
  }

  private static SamplingDecision decision(TracingConfig config, Context parent) {
    String traceId = Span.fromContext(parent).getSpanContext().getTraceId();
    return Tracing.sampler(config).shouldSample(parent, traceId, "GET route", SpanKind.SERVER, Attributes.empty(),
        List.of()).getDecision();
  }

  @Test
  void spansAreCountedAsEndedExportedAndFailed() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SpanCounts counts = new SpanCounts(registry);
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    TracingConfig config = new TracingConfig(TracingConfig.Export.OTLP, ENDPOINT, 1.0, true);
    try (Tracing tracing = Tracing.with(config, counts.counting(SimpleSpanProcessor.create(counts.counting(memory))))) {
      tracing.tracer().spanBuilder("one").startSpan().end();
      tracing.tracer().spanBuilder("two").startSpan().end();
      assertThat(memory.getFinishedSpanItems()).hasSize(2); // a shut-down in-memory exporter forgets them
    }
    try (Tracing refused = Tracing.with(config, counts.counting(SimpleSpanProcessor.create(counts.counting(
        new Refusing()))))) {
      refused.tracer().spanBuilder("three").startSpan().end();
    }
    assertThat(count(registry, "ended")).isEqualTo(3);
    assertThat(count(registry, "exported")).isEqualTo(2);
    assertThat(count(registry, "failed")).isEqualTo(1);
  }

  private static double count(SimpleMeterRegistry registry, String outcome) {
    return registry.get("gatehouse_tracing_spans").tag("outcome", outcome).counter().count();
  }

  /** A receiver that refuses every export. */
  private static final class Refusing implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofFailure();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
