package io.gatehouse.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.AllAtOnce;
import io.gatehouse.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The in-process failure counters: one decision at a time, and a full table that keeps every key its own record. */
class FailureThrottleTest {

  private static final FailureThrottle.Policy POLICY = new FailureThrottle.Policy(3, Duration.ofSeconds(1),
      Duration.ofSeconds(30), Duration.ofMinutes(2));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));

  private static FailureCounter.Admission admit(FailureCounter.Factory counters, FailureCounter counter, String key) {
    return counters.admit(List.of(new FailureCounter.Attempt(counter, key))).result();
  }

  @Test
  void parallelAttemptsOnTwoThreadsAreCheckedAndCountedOneAfterAnother() throws Exception {
    FailureCounter.Factory counters = FailureThrottle.factory(clock, 1000);
    FailureCounter addresses = counters.create("address", new FailureThrottle.Policy(100, Duration.ofSeconds(1),
        Duration.ofSeconds(30), Duration.ofMinutes(2)));
    FailureCounter accounts = counters.create("account", POLICY);
    AtomicInteger threads = new AtomicInteger();
    ThreadLocal<String> address = ThreadLocal.withInitial(() -> "a" + threads.incrementAndGet());
    int admitted = AllAtOnce.count(4, 25, () -> counters.admit(List.of(
        new FailureCounter.Attempt(addresses, address.get()), new FailureCounter.Attempt(accounts, "victim")))
        .result().admitted());
    assertThat(admitted).isEqualTo(POLICY.free() + 1);
  }

  @Test
  void aRefusedDecisionCountsNothing() {
    FailureCounter.Factory counters = FailureThrottle.factory(clock, 1000);
    FailureCounter addresses = counters.create("address", POLICY);
    FailureCounter accounts = counters.create("account", POLICY);
    for (int i = 0; i < POLICY.free() + 1; i++) {
      admit(counters, accounts, "victim");
    }
    FailureCounter.Admission refused = counters.admit(List.of(new FailureCounter.Attempt(addresses, "a"),
        new FailureCounter.Attempt(accounts, "victim"))).result();
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.waiting()).isEqualTo(1);
    assertThat(refused.waitSeconds()).isEqualTo(1);
    for (int i = 0; i < POLICY.free(); i++) {
      assertThat(admit(counters, addresses, "a").delays()).as("the address was not charged").containsExactly(0L);
    }
  }

  @Test
  void aFullTableGivesANewKeyARecordOfItsOwn() {
    FailureCounter.Factory counters = FailureThrottle.factory(clock, 100);
    FailureThrottle clients = (FailureThrottle) counters.create("client", POLICY);
    // An attacker fills the table with failures of keys of its own, and keeps them fresh.
    for (int i = 0; i < 1000; i++) {
      admit(counters, clients, "junk-" + i);
      clock.advance(Duration.ofMillis(10));
    }
    assertThat(clients.size()).isLessThanOrEqualTo(100);
    // A new client's guesses are throttled as if the table were empty.
    for (int i = 0; i < POLICY.free() + 1; i++) {
      assertThat(admit(counters, clients, "target").admitted()).isTrue();
    }
    assertThat(admit(counters, clients, "target").admitted()).as("held back").isFalse();
    // ...and the junk keys share nothing with it: another new key starts free.
    assertThat(admit(counters, clients, "bystander").delays()).containsExactly(0L);
  }

  @Test
  void idleRecordsMakeRoomFirst() {
    FailureCounter.Factory counters = FailureThrottle.factory(clock, 10);
    FailureThrottle clients = (FailureThrottle) counters.create("client", POLICY);
    for (int i = 0; i < 5; i++) {
      admit(counters, clients, "old-" + i);
    }
    clock.advance(POLICY.forgetAfter().plusSeconds(1));
    for (int i = 0; i < 5; i++) {
      for (int n = 0; n < POLICY.free() + 1; n++) {
        admit(counters, clients, "held-" + i);
      }
    }
    admit(counters, clients, "new");
    assertThat(clients.size()).isLessThanOrEqualTo(10);
    for (int i = 0; i < 5; i++) {
      assertThat(admit(counters, clients, "held-" + i).admitted()).as("still held back").isFalse();
    }
  }
}
