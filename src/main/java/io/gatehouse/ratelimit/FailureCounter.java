package io.gatehouse.ratelimit;

import io.vertx.core.Future;
import java.util.List;

/**
 * Failures of one kind of key (addresses, accounts, OAuth clients) with the growing delay of a
 * {@link FailureThrottle.Policy}: the port behind which the counts live, in this process
 * ({@link FailureThrottle}) or in Redis, shared by every instance ({@link RedisFailureCounter}).
 * Attempts are admitted through the {@link Factory} that made the counters, over several keys at
 * once, in one atomic step. Thread-safe.
 */
public interface FailureCounter {

  /** Makes the counters of one place (this process or Redis) and admits attempts over them. */
  interface Factory {

    /** Makes the counter of one kind of key, under {@code name}, with {@code policy}. */
    FailureCounter create(String name, FailureThrottle.Policy policy);

    /**
     * One throttle decision as one atomic step over every key of {@code attempts} (counters this
     * factory made): when one of them must still wait, nothing is counted and the answer says which
     * and for how long; otherwise an attempt of each is counted as a failure until it is known to
     * be none, and the answer has the delay each starts should the attempt fail. Two decisions never
     * interleave, on one instance or several, so parallel guesses cannot all pass one check.
     */
    Future<Admission> admit(List<Attempt> attempts);
  }

  /** An attempt of {@code key} of {@code counter}. */
  record Attempt(FailureCounter counter, String key) {
  }

  /**
   * A throttle decision.
   *
   * @param waiting the index of the attempt whose key must still wait, or -1 when admitted
   * @param waitSeconds how long it must wait; 0 when admitted
   * @param delays when admitted, the delay in seconds each attempt starts should it fail (0 while failures are free)
   */
  record Admission(int waiting, long waitSeconds, List<Long> delays) {

    public Admission {
      delays = List.copyOf(delays);
    }

    public static Admission refused(int waiting, long waitSeconds) {
      return new Admission(waiting, waitSeconds, List.of());
    }

    public static Admission counted(List<Long> delays) {
      return new Admission(-1, 0, delays);
    }

    public boolean admitted() {
      return waiting < 0;
    }
  }

  /** The attempt succeeded: {@code key} starts afresh. */
  Future<Void> succeeded(String key);

  /** The attempt succeeded, but {@code key} keeps its earlier failures (and is not held back now). */
  Future<Void> forgive(String key);

  /**
   * Drops the keys whose failures are forgotten, from a counter that holds them in memory (a
   * shared one lets them expire where it keeps them); how many. Run it off the event loops.
   */
  default int sweep() {
    return 0;
  }
}
