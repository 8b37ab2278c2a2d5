package io.gatehouse.soak;

import java.time.Duration;
import java.util.Set;

/** Something that goes wrong on purpose for a while: injected, then healed, by the {@link FaultSchedule}. */
public interface Fault {

  /** What it is, for the report: {@code "kill -9 instance a"}. */
  String name();

  /** The failures it makes acceptable while it lasts and for {@link #grace()} after it is healed. */
  Set<Allowance> allows();

  /** How long after healing its failures are still its own (a restarted process needs a moment). */
  default Duration grace() {
    return Duration.ofSeconds(15);
  }

  void inject() throws Exception;

  void heal() throws Exception;

  /** A fault made of two actions. */
  static Fault of(String name, Set<Allowance> allows, Duration grace, Action inject, Action heal) {
    return new Fault() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Set<Allowance> allows() {
        return allows;
      }

      @Override
      public Duration grace() {
        return grace;
      }

      @Override
      public void inject() throws Exception {
        inject.run();
      }

      @Override
      public void heal() throws Exception {
        heal.run();
      }
    };
  }

  /** An action that may throw. */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }
}
