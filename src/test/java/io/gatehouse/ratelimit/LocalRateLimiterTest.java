package io.gatehouse.ratelimit;

import io.gatehouse.config.LimitKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.config.Cidr;
import io.gatehouse.support.AllAtOnce;
import io.gatehouse.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LocalRateLimiterTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00.123Z"));

  private static Limit limit(int requests, Duration per) {
    return new Limit(new RateLimitConfig(LimitKey.IP, null, requests, per));
  }

  private LocalRateLimiter limiter(int maxKeys) {
    return new LocalRateLimiter(clock, maxKeys, new SimpleMeterRegistry());
  }

  @Test
  void aBurstUpToTheLimitThenARefusalWithTheWaitAndTheHeaders() {
    LocalRateLimiter limiter = limiter(1000);
    Limit tenPerSecond = limit(10, Duration.ofSeconds(1));
    for (int i = 0; i < 10; i++) {
      Decision d = limiter.decide(tenPerSecond, "k");
      assertThat(d.admitted()).isTrue();
      assertThat(d.remaining()).isEqualTo(9 - i);
      assertThat(d.resetSeconds()).isEqualTo(1); // the first counts until a whole second has passed
    }
    Decision refused = limiter.decide(tenPerSecond, "k");
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.remaining()).isZero();
    assertThat(refused.retryAfterSeconds()).isBetween(1L, 2L);
    // Another key is counted on its own.
    assertThat(limiter.decide(tenPerSecond, "other").admitted()).isTrue();
    // Once the window has passed the key starts again.
    clock.advance(Duration.ofMillis(1100));
    assertThat(limiter.decide(tenPerSecond, "k").remaining()).isEqualTo(9);
  }

  @Test
  void resetAndRetryAfterNeverExceedTheWindow() {
    Random random = new Random(11);
    for (Duration per : List.of(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofHours(1))) {
      LocalRateLimiter limiter = limiter(1000);
      Limit l = limit(1 + random.nextInt(5), per);
      for (int i = 0; i < 500; i++) {
        clock.advance(Duration.ofMillis(random.nextInt((int) Math.min(per.toMillis() / 3, 20_000))));
        Decision d = limiter.decide(l, "k");
        assertThat(d.resetSeconds()).as("%s", per).isBetween(0L, per.toSeconds());
        assertThat(d.retryAfterSeconds()).as("%s", per).isBetween(0L, per.toSeconds());
      }
    }
  }

  @Test
  void aRefusedRequestIsNotCounted() {
    LocalRateLimiter limiter = limiter(1000);
    Limit two = limit(2, Duration.ofMinutes(1));
    limiter.decide(two, "k");
    limiter.decide(two, "k");
    for (int i = 0; i < 50; i++) {
      assertThat(limiter.decide(two, "k").admitted()).isFalse();
    }
    clock.advance(Duration.ofSeconds(67));
    assertThat(limiter.decide(two, "k").admitted()).isTrue();
  }

  @Test
  void noWindowOfTheLimitsLengthEverAdmitsMoreThanTheLimit() {
    Random random = new Random(7);
    for (int round = 0; round < 20; round++) {
      LocalRateLimiter limiter = limiter(1000);
      int n = 1 + random.nextInt(20);
      long windowMillis = 1000L * (1 + random.nextInt(5));
      Limit l = limit(n, Duration.ofMillis(windowMillis));
      List<Long> admitted = new ArrayList<>();
      long start = clock.millis();
      for (int i = 0; i < 3000; i++) {
        clock.advance(Duration.ofMillis(random.nextInt(random.nextBoolean() ? 5 : 400)));
        if (limiter.decide(l, "k").admitted()) {
          admitted.add(clock.millis());
        }
      }
      assertWindowsHoldAtMost(admitted, windowMillis, n);
      // ...and it is not far too strict: a steady client gets most of the limit.
      double windows = (clock.millis() - start) / (double) windowMillis;
      assertThat(admitted.size()).isGreaterThan((int) (windows * n * 0.5));
    }
  }

  @Test
  void exactUnderConcurrentCallers() throws Exception {
    LocalRateLimiter limiter = limiter(1000);
    int n = 100;
    long windowMillis = 1000;
    Limit l = limit(n, Duration.ofMillis(windowMillis));
    Random random = new Random(11);
    List<Long> admitted = new ArrayList<>();
    for (int phase = 0; phase < 200; phase++) {
      clock.advance(Duration.ofMillis(random.nextInt(120)));
      int admittedNow = AllAtOnce.count(4, 40, () -> limiter.decide(l, "shared").admitted());
      for (int i = 0; i < admittedNow; i++) {
        admitted.add(clock.millis());
      }
    }
    assertWindowsHoldAtMost(admitted, windowMillis, n);
    assertThat(admitted.size()).isGreaterThan(n * 5);
  }

  /** Every window [t, t + length) starting at an admission holds at most {@code n} admissions. */
  private static void assertWindowsHoldAtMost(List<Long> times, long length, int n) {
    int end = 0;
    for (int i = 0; i < times.size(); i++) {
      while (end < times.size() && times.get(end) < times.get(i) + length) {
        end++;
      }
      assertThat(end - i).as("admitted in [%d, %d)", times.get(i), times.get(i) + length).isLessThanOrEqualTo(n);
    }
  }

  @Test
  void idleKeysAreForgottenAndAFloodOfNewKeysCannotGrowTheTable() {
    LocalRateLimiter limiter = limiter(1000);
    Limit l = limit(3, Duration.ofSeconds(10));
    for (int i = 0; i < 1000; i++) {
      limiter.decide(l, "key-" + i);
    }
    assertThat(limiter.size()).isEqualTo(1000);
    // Full: the keys already counted keep their counts...
    limiter.decide(l, "key-0");
    limiter.decide(l, "key-0");
    assertThat(limiter.decide(l, "key-0").admitted()).isFalse();
    // ...and every new key shares one window, so the flood is limited as one.
    int admitted = 0;
    for (int i = 0; i < 100_000; i++) {
      if (limiter.decide(l, "flood-" + i).admitted()) {
        admitted++;
      }
    }
    assertThat(admitted).isEqualTo(3);
    assertThat(limiter.size()).isEqualTo(1000);
    // Nothing is dropped while it still counts; everything once its window has passed.
    assertThat(limiter.sweep()).isZero();
    clock.advance(Duration.ofSeconds(12));
    assertThat(limiter.sweep()).isEqualTo(1000);
    assertThat(limiter.size()).isZero();
    assertThat(limiter.decide(l, "key-0").remaining()).isEqualTo(2);
  }

  @Test
  void ipv6AddressesAreCountedByTheirSlash64() {
    assertThat(Cidr.hostKey("2001:db8:1:2:aaaa::1")).isEqualTo(Cidr.hostKey("2001:db8:1:2:bbbb::ffff"));
    assertThat(Cidr.hostKey("2001:db8:1:2::1")).isNotEqualTo(Cidr.hostKey("2001:db8:1:3::1"));
    assertThat(Cidr.hostKey("203.0.113.9")).isEqualTo("203.0.113.9");
  }

  @Test
  void aClockThatGoesBackIsTreatedAsStandingStill() {
    LocalRateLimiter limiter = limiter(1000);
    Limit l = limit(2, Duration.ofSeconds(10));
    limiter.decide(l, "k");
    limiter.decide(l, "k");
    clock.advance(Duration.ofSeconds(-30));
    assertThat(limiter.decide(l, "k").admitted()).isFalse();
  }
}
