package io.gatehouse.ratelimit;

import io.gatehouse.config.LimitKey;
import io.gatehouse.config.RateLimitConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * Measures the heap one million rate-limit keys take: IPv4 addresses counted under one limit,
 * the table's default capacity. Run with {@code bash bench/ratelimit-memory.sh} (which also runs
 * it under the stated heap size, so "fits" is checked, not computed).
 */
public final class RateLimiterMemory {

  private RateLimiterMemory() {
  }

  public static void main(String[] args) {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    LocalRateLimiter limiter = new LocalRateLimiter(Clock.systemUTC(), keys, new SimpleMeterRegistry());
    Limit limit = new Limit(new RateLimitConfig(LimitKey.IP, null, 100, Duration.ofMinutes(1)));
    long before = usedAfterGc();
    for (int i = 0; i < keys; i++) {
      limiter.decide(limit, "10." + ((i >> 16) & 255) + "." + ((i >> 8) & 255) + "." + (i & 255) + (i >> 24));
    }
    long after = usedAfterGc();
    System.out.printf("%,d keys: %,d bytes of heap, %d bytes per key (max heap %,d MB)%n", limiter.size(),
        after - before, (after - before) / keys, Runtime.getRuntime().maxMemory() >> 20);
  }

  private static long usedAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
