package io.gatehouse.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shared poller: checks until it holds, fails naming what it waited for, never swallows a check's exception. */
class EventuallyTest {

  @Test
  void checksAgainUntilTheConditionHolds() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    Eventually.until(() -> checks.incrementAndGet() == 3, Duration.ofSeconds(10));
    assertThat(checks).hasValue(3);
  }

  @Test
  void failsNamingWhatItWaitedFor() {
    assertThatThrownBy(() -> Eventually.until("the moon", () -> false, Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class).hasMessage("the moon: not within 50 ms");
  }

  @Test
  void readGivesTheAcceptedValueOrTheLastOneRead() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    assertThat(Eventually.read(reads::incrementAndGet, n -> n == 2, Duration.ofSeconds(10))).isEqualTo(2);
    assertThat(Eventually.read(() -> "late", "done"::equals, Duration.ofMillis(50))).isEqualTo("late");
  }

  @Test
  void anExceptionFromACheckIsNotRetried() {
    AtomicInteger checks = new AtomicInteger();
    assertThatThrownBy(() -> Eventually.until(() -> {
      checks.incrementAndGet();
      throw new IOException("refused");
    }, Duration.ofSeconds(10))).isInstanceOf(IOException.class).hasMessage("refused");
    assertThat(checks).hasValue(1);
  }
}
