package io.gatehouse.ratelimit;

import io.gatehouse.config.LimitKey;
import io.gatehouse.config.RateLimitConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Local rate-limit decisions per second: one thread over 1,000 or 100,000 keys (each decision a
 * hash lookup, a monitor, the clock and the window), and two threads both on one key
 * (the worst contention: every decision on the same monitor) or each on its own keys. The limit
 * is high enough that most decisions admit and the table is full from the start. Run with
 * {@code bash bench/jmh.sh RateLimiterBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RateLimiterBenchmark {

  /** Keys in use: a thousand (the table in the CPU caches) or a hundred thousand (most lookups miss them). */
  @Param({"1000", "100000"})
  public int keyCount;

  private LocalRateLimiter limiter;
  private Limit limit;
  private String[] keys;

  @Setup
  public void setUp() {
    limiter = new LocalRateLimiter(Clock.systemUTC(), 1_000_000, new SimpleMeterRegistry());
    limit = new Limit(new RateLimitConfig(LimitKey.SUBJECT, null, 1_000_000, Duration.ofMinutes(1)));
    keys = new String[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keys[i] = "user-" + i;
      limiter.decide(limit, keys[i]);
    }
  }

  /** Each thread's walk over the keys. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;
    final int stride = 1 + (int) (Thread.currentThread().getId() % 7) * 2;

    int advance(int keyCount) {
      next += stride;
      if (next >= keyCount) {
        next -= keyCount;
      }
      return next;
    }
  }

  @Benchmark
  @Threads(1)
  public Decision oneThreadManyKeys(Cursor cursor) {
    return limiter.decide(limit, keys[cursor.advance(keyCount)]);
  }

  @Benchmark
  @Threads(2)
  public Decision twoThreadsManyKeys(Cursor cursor) {
    return limiter.decide(limit, keys[cursor.advance(keyCount)]);
  }

  @Benchmark
  @Threads(2)
  public Decision twoThreadsOneKey() {
    return limiter.decide(limit, "user-1");
  }
}
