package io.gatehouse.bench;

import io.gatehouse.config.LimitKey;
import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.ratelimit.Decision;
import io.gatehouse.ratelimit.Limit;
import io.gatehouse.store.RedisConnection;
import io.gatehouse.store.RedisPipeline;
import io.gatehouse.store.RedisRateLimiter;
import io.gatehouse.support.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The shared limiter on the machine's Redis, 64 decisions in flight on one event loop as under the
 * harness's 64 connections: {@code one-by-one}, a script call each (as before issue 22), against
 * {@code batched}, the calls of one loop turn gathered into one. Needs Redis on 127.0.0.1:6379
 * ({@code GATEHOUSE_TEST_REDIS}). {@code bash bench/jmh.sh SharedLimiter}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SharedLimiterBenchmark {

  private static final int IN_FLIGHT = 64;

  @Param({"one-by-one", "batched"})
  public String mode;

  private Vertx vertx;
  private RedisConnection redis;
  private String prefix;
  private RedisRateLimiter limiter;
  private EventLoop loop;
  private final Limit limit = new Limit(new RateLimitConfig(LimitKey.SUBJECT, null, 1_000_000_000, Duration.ofMinutes(1)));

  @Setup
  public void connect() {
    vertx = Vertx.vertx();
    prefix = RedisServer.freshPrefix();
    redis = RedisConnection.open(vertx, RedisServer.config(prefix)).await();
    limiter = new RedisRateLimiter(new RedisPipeline(redis::connect), prefix, null, true, new SimpleMeterRegistry());
    loop = ((VertxInternal) vertx).nettyEventLoopGroup().next();
  }

  @TearDown
  public void disconnect() {
    RedisServer.deleteKeys(redis.api(), prefix);
    redis.close();
    vertx.close().await();
  }

  /** 64 decisions for one subject asked in one turn of the loop, and all their answers. */
  @Benchmark
  @OperationsPerInvocation(IN_FLIGHT)
  public Object decide() throws Exception {
    boolean batched = mode.equals("batched");
    List<Future<Decision>> asked = loop.submit(() -> {
      List<Future<Decision>> futures = new ArrayList<>(IN_FLIGHT);
      for (int i = 0; i < IN_FLIGHT; i++) {
        futures.add(batched ? limiter.acquire(limit, "alice", loop) : limiter.acquire(limit, "alice"));
      }
      return futures;
    }).get();
    return Future.all(asked).await();
  }
}
