package io.gatehouse.ratelimit;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A growing delay after repeated failures of one key (an account, an address, an OAuth client):
 * the first {@code free} failures cost nothing, each one after them doubles the wait before the
 * next attempt, from {@code firstDelay} up to {@code maxDelay}, and failures are forgotten after
 * {@code forgetAfter} without one.
 *
 * <p>An attempt is counted when it starts ({@link #attempt}), not when it has failed, so a caller
 * cannot fit many guesses into the time one takes to check; a success then resets the key
 * ({@link #succeeded}) or takes back just its own count ({@link #forgive}).
 *
 * <p>Memory: at most {@code maxKeys} keys; while full, new keys share one record, so a flood of
 * keys is slowed down together. Thread-safe; each key's record under its own monitor.
 */
public final class FailureThrottle implements FailureCounter {

  /**
   * @param free failures without any delay
   * @param firstDelay the wait after the first failure beyond the free ones
   * @param maxDelay the longest wait, however many failures: the most an attacker can lock a key out for
   * @param forgetAfter failures older than this (counted from the latest) no longer count
   */
  public record Policy(int free, Duration firstDelay, Duration maxDelay, Duration forgetAfter) {
  }

  private final Policy policy;
  private final Clock clock;
  private final int maxKeys;
  private final Map<String, Failures> records = new ConcurrentHashMap<>();
  private final Failures overflow = new Failures();

  public FailureThrottle(Policy policy, Clock clock, int maxKeys) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxKeys = maxKeys;
  }

  public Policy policy() {
    return policy;
  }

  @Override
  public Future<Long> waitSeconds(String key) {
    return Future.succeededFuture(waitNow(key));
  }

  @Override
  public Future<Long> attempt(String key) {
    return Future.succeededFuture(attemptNow(key));
  }

  @Override
  public Future<Void> succeeded(String key) {
    records.remove(key);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> forgive(String key) {
    forgiveNow(key);
    return Future.succeededFuture();
  }

  /** Seconds {@code key} must still wait before an attempt; 0 when it may try now. */
  long waitNow(String key) {
    Failures failures = records.get(key);
    if (failures == null) {
      return 0;
    }
    synchronized (failures) {
      return Decision.wholeSeconds(failures.blockedUntil - clock.millis());
    }
  }

  /**
   * Counts an attempt of {@code key} as a failure until it is known to be none.
   *
   * @return the delay in seconds the attempt starts if it fails (0 within the free failures)
   */
  long attemptNow(String key) {
    Failures failures = records.get(key);
    if (failures == null) {
      failures = records.size() >= maxKeys ? overflow : records.computeIfAbsent(key, k -> new Failures());
    }
    synchronized (failures) {
      long now = clock.millis();
      if (now - failures.last > policy.forgetAfter().toMillis()) {
        failures.count = 0;
      }
      failures.count++;
      failures.last = now;
      long delay = delayMillis(failures.count);
      failures.blockedUntil = delay == 0 ? 0 : now + delay;
      return Decision.wholeSeconds(delay);
    }
  }

  /**
   * The attempt succeeded, but {@code key} keeps its earlier failures: an address that an attacker
   * could otherwise clear by logging into an account of their own between guesses.
   */
  void forgiveNow(String key) {
    Failures failures = records.get(key);
    if (failures == null) {
      return;
    }
    synchronized (failures) {
      // The key was not held back when this attempt started, and the attempt was no guess: it is
      // not held back now. Its earlier failures still count, so the next one waits longer.
      failures.count = Math.max(0, failures.count - 1);
      failures.blockedUntil = 0;
    }
  }

  /** Drops the keys whose failures are forgotten. Walks every key: run it off the event loops. */
  @Override
  public int sweep() {
    long now = clock.millis();
    int before = records.size();
    records.values().removeIf(f -> {
      synchronized (f) {
        return now - f.last > policy.forgetAfter().toMillis() && f.blockedUntil <= now;
      }
    });
    return before - records.size();
  }

  /** Keys with failures on record. */
  public int size() {
    return records.size();
  }

  private long delayMillis(int count) {
    int beyond = count - policy.free();
    if (beyond <= 0) {
      return 0;
    }
    long max = policy.maxDelay().toMillis();
    long delay = policy.firstDelay().toMillis() << Math.min(beyond - 1, 40);
    return delay <= 0 || delay > max ? max : delay;
  }


  private static final class Failures {
    int count;
    long last;
    long blockedUntil;
  }
}
