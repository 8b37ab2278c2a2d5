package io.gatehouse.ratelimit;

import io.vertx.core.Future;

/**
 * Failures of one kind of key (addresses, accounts, OAuth clients) with the growing delay of a
 * {@link FailureThrottle.Policy}: the port behind which the counts live, in this process
 * ({@link FailureThrottle}) or in Redis, shared by every instance ({@link RedisFailureCounter}).
 * Thread-safe.
 */
public interface FailureCounter {

  /** Makes the counter of one kind of key, under {@code name}, with {@code policy}. */
  @FunctionalInterface
  interface Factory {
    FailureCounter create(String name, FailureThrottle.Policy policy);
  }

  /** Seconds {@code key} must still wait before an attempt; 0 when it may try now. */
  Future<Long> waitSeconds(String key);

  /** Counts an attempt of {@code key} as a failure until it is known to be none; the delay it starts if it fails. */
  Future<Long> attempt(String key);

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
