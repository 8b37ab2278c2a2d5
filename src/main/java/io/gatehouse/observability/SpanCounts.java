package io.gatehouse.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * {@code gatehouse_tracing_spans_total}: what became of the spans recorded, by {@code outcome}:
 * {@code ended} (handed to the batch that exports them), {@code exported} (the receiver took them),
 * {@code failed} (it refused them, or could not be reached). The batch drops the oldest spans when
 * the receiver cannot keep up and says nothing of it; ended minus exported minus failed, beyond the
 * batch's queue of 2048, is what was dropped. Thread-safe.
 */
final class SpanCounts {

  private final Counter ended;
  private final Counter exported;
  private final Counter failed;

  SpanCounts(MeterRegistry registry) {
    this.ended = counter(registry, "ended");
    this.exported = counter(registry, "exported");
    this.failed = counter(registry, "failed");
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder("gatehouse_tracing_spans").tag("outcome", outcome)
        .description("Spans recorded, by what became of them (ended - exported - failed, past the queue: dropped)")
        .register(registry);
  }

  /** {@code processor}, counting each span it is handed. */
  SpanProcessor counting(SpanProcessor processor) {
    return new SpanProcessor() {
      @Override
      public void onStart(Context parent, ReadWriteSpan span) {
        processor.onStart(parent, span);
      }

      @Override
      public boolean isStartRequired() {
        return processor.isStartRequired();
      }

      @Override
      public void onEnd(ReadableSpan span) {
        if (span.getSpanContext().isSampled()) {
          ended.increment();
        }
        processor.onEnd(span);
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }

      @Override
      public CompletableResultCode shutdown() {
        return processor.shutdown();
      }

      @Override
      public CompletableResultCode forceFlush() {
        return processor.forceFlush();
      }
    };
  }

  /** {@code exporter}, counting what each export did with its spans. */
  SpanExporter counting(SpanExporter exporter) {
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        CompletableResultCode result = exporter.export(spans);
        int count = spans.size();
        result.whenComplete(() -> (result.isSuccess() ? exported : failed).increment(count));
        return result;
      }

      @Override
      public CompletableResultCode flush() {
        return exporter.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return exporter.shutdown();
      }
    };
  }
}
