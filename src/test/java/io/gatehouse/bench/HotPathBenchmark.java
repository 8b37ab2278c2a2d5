package io.gatehouse.bench;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.config.path.PathNormalizer;
import io.gatehouse.http.RouteMatch;
import io.gatehouse.gateway.RouteTable;
import io.gatehouse.http.RequestIds;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request work Gatehouse does itself before a request is proxied: path normalisation,
 * route choice among 100 routes, and request ids. Run with {@code bash bench/jmh.sh}; the
 * end-to-end comparison with nginx and HAProxy is {@code ../shared/bench/run.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmark {

  private RouteTable<RouteConfig> routes;

  @Setup
  public void setUp() throws ConfigException {
    StringBuilder yaml = new StringBuilder("routes:\n");
    for (int i = 0; i < 97; i++) {
      yaml.append("  - { id: r").append(i).append(", path: \"/service").append(i)
          .append("/{id}/items/**\", upstream: \"http://127.0.0.1:9001\", auth: [none] }\n");
    }
    yaml.append("  - { id: books, path: /api/books/**, upstream: \"http://127.0.0.1:9001\", auth: [none] }\n");
    yaml.append("  - { id: book, path: \"/api/books/{id}\", methods: [GET], upstream: \"http://127.0.0.1:9001\", auth: [none] }\n");
    yaml.append("  - { id: all, path: /**, upstream: \"http://127.0.0.1:9001\", auth: [none] }\n");
    routes = new RouteTable<>(new ConfigLoader(Map.of()).parse(yaml.toString(), "bench.yaml").routes(), RouteConfig::selector);
  }

  @Benchmark
  public String normalizePlainPath() {
    return PathNormalizer.normalize("/api/books/12345/chapters");
  }

  @Benchmark
  public String normalizeHostilePath() {
    return PathNormalizer.normalize("/api/./books//%7Euser/../12345/%41chapters");
  }

  @Benchmark
  public RouteMatch<RouteConfig> matchAmong100Routes() {
    return routes.match("GET", "api.example.com", "/api/books/12345");
  }

  @Benchmark
  public RouteMatch<RouteConfig> matchTheFallbackRoute() {
    return routes.match("POST", "api.example.com", "/nothing/else/matches");
  }

  @Benchmark
  public String generateRequestId() {
    return RequestIds.generate();
  }
}
