package io.gatehouse.bench;

import io.gatehouse.observability.RequestMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the request metrics cost each request: one completed exchange recorded on the route's
 * timer (Prometheus registry, the latency buckets of {@link RequestMetrics}). One registry is
 * shared by the threads, as the event loops share it; run with {@code -t 2} for two event loops
 * recording at once: {@code bash bench/jmh.sh RequestMetricsBenchmark -t 2}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestMetricsBenchmark {

  private PrometheusMeterRegistry registry;
  private RequestMetrics metrics;

  @Setup
  public void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    metrics = new RequestMetrics(registry);
  }

  @TearDown
  public void tearDown() {
    registry.close();
  }

  @Benchmark
  public void recordARequest() {
    metrics.request("api", 200, 1_234_567);
  }

  /** A scrape of the same registry, for what folding on scrape would add there. */
  @Benchmark
  public int scrape() {
    return registry.scrape().length();
  }
}
