package io.gatehouse.http;

import io.gatehouse.ratelimit.LocalRateLimiter;
import io.gatehouse.ratelimit.RateLimitStage;
import io.gatehouse.ratelimit.RouteLimits;
import java.time.Clock;
import io.gatehouse.config.Config;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.gateway.FixedResponse;
import io.gatehouse.gateway.RouteTable;
import io.gatehouse.gateway.Routing;
import io.gatehouse.guard.Guards;
import io.gatehouse.guard.RouteGuard;
import io.gatehouse.observability.AccessLog;
import io.gatehouse.observability.RequestMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One request through the whole public pipeline without a network: Netty's HTTP/1.1 decoder,
 * request id, limits, CORS, routing among 100 routes, the guard of an open route, a fixed 12-byte
 * answer with the security headers, Netty's encoder, the metrics timer and the access-log line
 * (into memory, handed to its writer thread). {@code accessLog=false} leaves the log out, so the
 * difference is its cost; {@code rateLimit=true} adds a limit by address to the route. Run with {@code bash bench/jmh.sh PipelineBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PipelineBenchmark {

  private static final byte[] REQUEST = ("GET /api/items/12345?view=full HTTP/1.1\r\nHost: api.example.com\r\n"
      + "User-Agent: bench/1.0\r\nAccept: */*\r\nX-Request-Id: bench-request-1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  @Param({"true", "false"})
  public boolean accessLog;

  /** With a limit on the answering route (never reached), so the difference is a limit's cost. */
  @Param({"false", "true"})
  public boolean rateLimit;

  private EmbeddedChannel channel;
  private AccessLog log;
  private PrometheusMeterRegistry registry;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    StringBuilder yaml = new StringBuilder("routes:\n");
    for (int i = 0; i < 98; i++) {
      yaml.append("  - { id: r").append(i).append(", path: \"/service").append(i)
          .append("/{id}/items/**\", respond: { body: x }, auth: [none] }\n");
    }
    yaml.append("  - { id: api, path: /api/**, respond: { status: 200, body: \"hello world\\n\" }, auth: [none]")
        .append(rateLimit ? ", rate_limit: { key: ip, limit: 1000000000, per: 1m } }\n" : " }\n");
    yaml.append("  - { id: all, path: /**, respond: { status: 404 }, auth: [none] }\n");
    Config config = new ConfigLoader(Map.of()).parse(yaml.toString(), "bench.yaml");
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    log = accessLog ? new AccessLog(OutputStream.nullOutputStream(), registry) : null;
    Guards guards = new Guards(Map.of(), null, Map.of(), null, null, null, null);
    List<Route> routes = new ArrayList<>();
    LocalRateLimiter limiter = new LocalRateLimiter(Clock.systemUTC(), 1_000_000, registry);
    RateLimitStage.Factory limits = new RateLimitStage.Factory(limiter, null, Clock.systemUTC());
    for (RouteConfig route : config.routes()) {
      RouteLimits routeLimits = RouteLimits.of(route.id(), route.rateLimits() == null ? List.of() : route.rateLimits());
      routes.add(Route.of(route.selector())
          .ipLimits(limits.beforeGuard(route.id(), routeLimits))
          .guard(guards.guard(route.id(), route.auth(), route.mtls(), RouteGuard.Policy.of(RouteGuard.Access.ANY, null)))
          .subjectLimits(limits.afterGuard(route.id(), routeLimits))
          .target(new FixedResponse(route.respond()))
          .build());
    }
    Origins origins = new Origins(config.issuer());
    Pipeline.Builder builder = Pipeline.builder().requestId(new RequestIdStage(new TrustedProxies(List.of())))
        .limits(new RequestLimits(config.server().limits())).cors(new Cors(config.cors(), origins))
        .routing(new Routing(new RouteTable<>(routes, Route::selector), List.of())).problems(new ProblemRenderer())
        .securityHeaders(new SecurityHeaders(0)).maxBodyBytes(config.server().limits().maxBodyBytes())
        .observer(new RequestMetrics(registry));
    if (log != null) {
      builder.observer(log);
    }
    Pipeline pipeline = builder.build();
    channel = new EmbeddedChannel();
    channel.pipeline().addLast(new HttpServerCodec(), new ExchangeHandler(() -> pipeline, new Connection(channel, null, false), null));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    channel.finishAndReleaseAll();
    if (log != null) {
      log.close();
    }
    registry.close();
  }

  @Benchmark
  public int requestThroughThePipeline() {
    channel.writeInbound(Unpooled.wrappedBuffer(REQUEST));
    int bytes = 0;
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      bytes += out.readableBytes();
      out.release();
    }
    return bytes;
  }
}
