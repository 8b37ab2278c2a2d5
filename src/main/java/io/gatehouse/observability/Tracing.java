package io.gatehouse.observability;

import io.gatehouse.config.TracingConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenTelemetry SDK behind {@code tracing.export}: a tracer provider of Gatehouse's own (never
 * the global one), resource {@code service.name=gatehouse}, sampling parent-based over
 * {@code sample_ratio} (a caller's {@code sampled} flag decides for its trace; a trace started
 * here is recorded with that probability, by its trace id), spans batched ({@link BatchSpanProcessor}:
 * a queue of 2048, sent every 5 s or by 512, the oldest dropped when the receiver cannot keep up,
 * never blocking a request) and sent as OTLP/HTTP protobuf with the JDK's HttpClient.
 *
 * <p>With {@code export: none} there is no SDK at all: {@link #tracer()} is null, and the data plane
 * records nothing (it still passes W3C trace context on). Thread-safe.
 */
public final class Tracing implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  /** The instrumentation scope the spans are recorded under. */
  static final String SCOPE = "io.gatehouse";

  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private Tracing(SdkTracerProvider provider) {
    this.provider = provider;
    this.tracer = provider == null ? null : provider.get(SCOPE);
  }

  /** Nothing recorded, nothing exported. */
  public static Tracing off() {
    return new Tracing(null);
  }

  /** What {@code config} says: off, or spans batched to its OTLP/HTTP endpoint. */
  public static Tracing start(TracingConfig config) {
    if (!config.exports()) {
      return off();
    }
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(config.endpoint().toString())
        .setMeterProvider(MeterProvider::noop)
        .build();
    LOG.info("tracing: spans exported to {} (sample ratio {})", config.endpoint(), config.sampleRatio());
    return with(config, BatchSpanProcessor.builder(exporter).setMeterProvider(MeterProvider::noop).build());
  }

  /**
   * Spans handed to {@code processor} whatever {@code config.export} says: for tests, which read
   * them from the SDK's in-memory exporter.
   */
  public static Tracing with(TracingConfig config, SpanProcessor processor) {
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, "gatehouse")));
    return new Tracing(SdkTracerProvider.builder()
        .setResource(resource)
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
        .addSpanProcessor(processor)
        .setMeterProvider(MeterProvider::noop)
        .build());
  }

  /** The tracer spans are recorded with, or null when nothing is exported. */
  public Tracer tracer() {
    return tracer;
  }

  /** Sends the spans still queued (waiting up to 10 s for the receiver) and stops. */
  @Override
  public void close() {
    if (provider != null) {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
