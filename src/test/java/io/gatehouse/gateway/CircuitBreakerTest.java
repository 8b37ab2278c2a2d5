package io.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.CircuitBreakerConfig;
import io.gatehouse.gateway.CircuitBreaker.Phase;
import io.gatehouse.gateway.CircuitBreaker.State;
import io.gatehouse.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final List<String> transitions = new ArrayList<>();

  private CircuitBreaker breaker(int failures, int probes) {
    return breaker(new CircuitBreakerConfig(failures, 0, Duration.ofSeconds(10), 20, Duration.ofSeconds(30), probes));
  }

  private CircuitBreaker breaker(CircuitBreakerConfig config) {
    return new CircuitBreaker(config, clock, (from, to) -> transitions.add(from.label + ">" + to.label));
  }

  private static void fail(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      breaker.failed(breaker.admit());
    }
  }

  @Test
  void opensAfterConsecutiveFailuresOnly() {
    CircuitBreaker breaker = breaker(3, 1);
    fail(breaker, 2);
    breaker.succeeded(breaker.admit()); // resets the run
    fail(breaker, 2);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    fail(breaker, 1);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.admit()).isNull();
    assertThat(transitions).containsExactly("closed>open");
  }

  @Test
  void staysOpenForOpenForThenAdmitsOnlyTheProbes() {
    CircuitBreaker breaker = breaker(1, 2);
    fail(breaker, 1);
    assertThat(breaker.millisUntilAdmitting()).isEqualTo(30_000);
    clock.advance(Duration.ofSeconds(29));
    assertThat(breaker.admit()).isNull();
    assertThat(breaker.millisUntilAdmitting()).isEqualTo(1_000);
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    Phase first = breaker.admit();
    Phase second = breaker.admit();
    assertThat(first).isNotNull();
    assertThat(second).isNotNull();
    assertThat(breaker.admit()).as("only half_open_probes requests at a time").isNull();
    assertThat(breaker.millisUntilAdmitting()).isZero();
    breaker.succeeded(first);
    assertThat(breaker.state()).as("closes once every probe succeeded").isEqualTo(State.HALF_OPEN);
    assertThat(breaker.admit()).isNull();
    breaker.succeeded(second);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.admit()).isNotNull();
    assertThat(transitions).containsExactly("closed>open", "open>half_open", "half_open>closed");
  }

  @Test
  void aFailedProbeOpensItForAnotherOpenFor() {
    CircuitBreaker breaker = breaker(1, 2);
    fail(breaker, 1);
    clock.advance(Duration.ofSeconds(30));
    Phase first = breaker.admit();
    Phase second = breaker.admit();
    breaker.failed(first);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.millisUntilAdmitting()).isEqualTo(30_000);
    breaker.succeeded(second); // a late probe of the phase already left changes nothing
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(transitions).containsExactly("closed>open", "open>half_open", "half_open>open");
  }

  @Test
  void anAbandonedProbeGivesItsTurnBack() {
    CircuitBreaker breaker = breaker(1, 1);
    fail(breaker, 1);
    clock.advance(Duration.ofSeconds(31));
    Phase probe = breaker.admit();
    assertThat(breaker.admit()).isNull();
    breaker.abandoned(probe);
    Phase again = breaker.admit();
    assertThat(again).isNotNull();
    breaker.succeeded(again);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void outcomesOfRequestsAdmittedBeforeATransitionAreIgnored() {
    CircuitBreaker breaker = breaker(2, 1);
    Phase early = breaker.admit();
    Phase slow = breaker.admit();
    fail(breaker, 2);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    breaker.succeeded(early); // answered after the breaker opened: does not close it
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    clock.advance(Duration.ofSeconds(30));
    breaker.succeeded(breaker.admit());
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    breaker.failed(slow); // from the closed phase before the opening: counts for nothing now
    breaker.failed(breaker.admit());
    assertThat(breaker.state()).as("a fresh run of failures after closing").isEqualTo(State.CLOSED);
    assertThat(transitions).containsExactly("closed>open", "open>half_open", "half_open>closed");
  }

  @Test
  void failureRateOpensOnlyWithEnoughCallsInTheWindow() {
    CircuitBreaker breaker = breaker(new CircuitBreakerConfig(100, 0.5, Duration.ofSeconds(10), 10,
        Duration.ofSeconds(30), 1));
    for (int i = 0; i < 4; i++) {
      breaker.succeeded(breaker.admit());
      breaker.failed(breaker.admit());
    }
    assertThat(breaker.state()).as("8 calls, fewer than min_calls").isEqualTo(State.CLOSED);
    breaker.succeeded(breaker.admit());
    breaker.failed(breaker.admit());
    assertThat(breaker.state()).as("5 of 10 failed").isEqualTo(State.OPEN);
  }

  @Test
  void failureRateForgetsCallsOlderThanTheWindow() {
    CircuitBreaker breaker = breaker(new CircuitBreakerConfig(100, 0.5, Duration.ofSeconds(10), 4,
        Duration.ofSeconds(30), 1));
    fail(breaker, 3);
    clock.advance(Duration.ofSeconds(11));
    breaker.succeeded(breaker.admit());
    breaker.succeeded(breaker.admit());
    breaker.succeeded(breaker.admit());
    fail(breaker, 1);
    assertThat(breaker.state()).as("the three old failures are out of the window: 1 of 4").isEqualTo(State.CLOSED);
    fail(breaker, 1);
    assertThat(breaker.state()).as("2 of 5 is under half").isEqualTo(State.CLOSED);
    fail(breaker, 1);
    assertThat(breaker.state()).as("3 of 6").isEqualTo(State.OPEN);
  }

  @Test
  void closingStartsAFreshWindow() {
    CircuitBreaker breaker = breaker(new CircuitBreakerConfig(100, 0.5, Duration.ofSeconds(10), 4,
        Duration.ofSeconds(5), 1));
    fail(breaker, 4);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    clock.advance(Duration.ofSeconds(5)); // still within the window of those four failures
    breaker.succeeded(breaker.admit());
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    fail(breaker, 1);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void windowCountsEveryCallFromManyThreads() throws Exception {
    FailureWindow window = new FailureWindow(10_000);
    long now = clock.millis();
    int threads = 4;
    int each = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      boolean failing = t % 2 == 0;
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < each; i++) {
          window.record(now, failing);
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    // Exactly half of 80,000 failed: at 0.5 with all 80,000 needed it trips, with one more call needed it cannot.
    assertThat(window.exceeds(now, 0.5, threads * each)).isTrue();
    assertThat(window.exceeds(now, 0.5, threads * each + 1)).isFalse();
    assertThat(window.exceeds(now, 0.51, threads * each)).isFalse();
  }

  @Test
  void transitionsAreReportedOnceUnderContention() throws Exception {
    AtomicInteger opened = new AtomicInteger();
    CircuitBreaker breaker = new CircuitBreaker(
        new CircuitBreakerConfig(5, 0, Duration.ofSeconds(10), 20, Duration.ofSeconds(30), 1), clock,
        (from, to) -> {
          if (to == State.OPEN) {
            opened.incrementAndGet();
          }
        });
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < 1000; i++) {
          Phase admitted = breaker.admit();
          if (admitted != null) {
            breaker.failed(admitted);
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(opened).hasValue(1);
  }
}
