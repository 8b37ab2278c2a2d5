package io.gatehouse.observability;

import io.gatehouse.config.TracingConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenTelemetry SDK behind {@code tracing.export}: a tracer provider of Gatehouse's own (never
 * the global one), resource {@code service.name=gatehouse}, sampling parent-based over
 * {@code sample_ratio} ({@link #sampler}: a caller's {@code sampled} flag decides for its trace unless
 * {@code caller_sampled: ignore}; a trace started here is recorded with that probability, by its trace
 * id), spans batched ({@link BatchSpanProcessor}: a queue of 2048, sent every 5 s or by 512, the
 * oldest dropped when the receiver cannot keep up, never blocking a request), counted
 * ({@link SpanCounts}) and sent as OTLP/HTTP protobuf with the JDK's HttpClient.
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

  /**
   * What {@code config} says: off, or spans batched to its OTLP/HTTP endpoint.
   *
   * @param registry where {@code gatehouse_tracing_spans_total} counts them ({@link SpanCounts})
   */
  public static Tracing start(TracingConfig config, MeterRegistry registry) {
    if (!config.exports()) {
      return off();
    }
    SpanCounts counts = new SpanCounts(registry);
    SpanExporter exporter = counts.counting(OtlpHttpSpanExporter.builder()
        .setEndpoint(config.endpoint().toString())
        .setMeterProvider(MeterProvider::noop)
        .build());
    LOG.info("tracing: spans exported to {} (sample ratio {}, caller's sampled flag {})", config.endpoint(),
        config.sampleRatio(), config.followCaller() ? "followed" : "ignored");
    return with(config, counts.counting(BatchSpanProcessor.builder(exporter).setMeterProvider(MeterProvider::noop)
        .build()));
  }

  /**
   * Spans handed to {@code processor} whatever {@code config.export} says: for tests, which read
   * them from the SDK's in-memory exporter.
   */
  public static Tracing with(TracingConfig config, SpanProcessor processor) {
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, "gatehouse")));
    return new Tracing(SdkTracerProvider.builder()
        .setResource(resource)
        .setSampler(sampler(config))
        .addSpanProcessor(processor)
        .setMeterProvider(MeterProvider::noop)
        .build());
  }

  /**
   * Parent-based over the ratio: a span whose parent is recorded here is recorded. A caller's
   * parent decides too unless {@code caller_sampled: ignore}; then the ratio decides by the trace id,
   * as it does for a trace that starts here.
   */
  static Sampler sampler(TracingConfig config) {
    Sampler ratio = Sampler.traceIdRatioBased(config.sampleRatio());
    return config.followCaller() ? Sampler.parentBased(ratio) : new OwnDecision(ratio);
  }

  /**
   * {@code caller_sampled: ignore}: a span whose parent is Gatehouse's own follows it; any other, a
   * caller's child included, is decided by the ratio on its trace id. The specification discourages
   * a ratio below a remote parent, since the caller's and Gatehouse's decisions may then differ for
   * one trace; that is the point here: the caller does not decide. Every instance decides alike.
   */
  private record OwnDecision(Sampler ratio) implements Sampler {

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
        Attributes attributes, List<LinkData> parentLinks) {
      SpanContext parent = Span.fromContext(parentContext).getSpanContext();
      if (parent.isValid() && !parent.isRemote()) {
        return parent.isSampled() ? SamplingResult.recordAndSample() : SamplingResult.drop();
      }
      return ratio.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
      return "OwnDecision{" + ratio.getDescription() + "}";
    }
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
