package io.gatehouse.ratelimit;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
 * <p>Memory: at most {@code maxKeys} keys. A new key in a full table takes the place of an idle one
 * (whose failures are forgotten and who is not held back) or, when a sample of the table holds none,
 * of the one whose last failure is oldest in the sample: every key keeps a record of its own, so
 * whoever fills the table decides nothing about keys not in it. Thread-safe; each key's record
 * under its own monitor; attempts are admitted through {@link #factory}, one decision at a time.
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
  /** How many records a full table looks at to choose the one a new key replaces. */
  static final int EVICTION_SAMPLE = 32;

  private final Map<String, Failures> records = new ConcurrentHashMap<>();

  public FailureThrottle(Policy policy, Clock clock, int maxKeys) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxKeys = maxKeys;
  }

  /**
   * Counters in this process, each holding at most {@code maxKeys} keys, whose attempts are admitted
   * one decision at a time (under the factory's lock, so a check and its count are one step).
   */
  public static FailureCounter.Factory factory(Clock clock, int maxKeys) {
    return new FailureCounter.Factory() {
      @Override
      public FailureCounter create(String name, Policy policy) {
        return new FailureThrottle(policy, clock, maxKeys);
      }

      @Override
      public synchronized Future<Admission> admit(List<Attempt> attempts) {
        for (int i = 0; i < attempts.size(); i++) {
          long wait = throttle(attempts.get(i)).waitNow(attempts.get(i).key());
          if (wait > 0) {
            return Future.succeededFuture(Admission.refused(i, wait));
          }
        }
        List<Long> delays = new ArrayList<>(attempts.size());
        for (Attempt attempt : attempts) {
          delays.add(throttle(attempt).attemptNow(attempt.key()));
        }
        return Future.succeededFuture(Admission.counted(delays));
      }

      private FailureThrottle throttle(Attempt attempt) {
        if (attempt.counter() instanceof FailureThrottle throttle) {
          return throttle;
        }
        throw new IllegalArgumentException("not a counter of this factory");
      }
    };
  }

  public Policy policy() {
    return policy;
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
      if (records.size() >= maxKeys) {
        evictOne(clock.millis());
      }
      failures = records.computeIfAbsent(key, k -> new Failures());
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

  /**
   * Makes room for one key: drops the idle records among a sample of the table, or else the one in
   * it whose last failure is oldest. A sample, not a walk: a flood of new keys costs a bounded
   * amount of work each.
   */
  private void evictOne(long now) {
    String oldest = null;
    long oldestLast = Long.MAX_VALUE;
    int seen = 0;
    boolean freed = false;
    Iterator<Map.Entry<String, Failures>> it = records.entrySet().iterator();
    for (; it.hasNext() && seen < EVICTION_SAMPLE; seen++) {
      Map.Entry<String, Failures> entry = it.next();
      Failures f = entry.getValue();
      synchronized (f) {
        if (now - f.last > policy.forgetAfter().toMillis() && f.blockedUntil <= now) {
          it.remove();
          freed = true;
        } else if (f.last < oldestLast) {
          oldestLast = f.last;
          oldest = entry.getKey();
        }
      }
    }
    if (!freed && oldest != null) {
      records.remove(oldest);
    }
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
