package io.gatehouse.support;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Waits for what another thread or process does (a file watcher, a server coming up, a log line
 * written, a row committed) by checking again every {@link #EVERY} until it is seen or a timeout
 * passes. Not for waiting on time itself: behaviour the code decides by its {@code Clock} is tested
 * with a {@link MutableClock}, which needs no waiting at all.
 *
 * <p>An exception thrown by a check is not retried: it fails the wait at once.
 */
public final class Eventually {

  /** How long to park between two checks. */
  public static final Duration EVERY = Duration.ofMillis(20);

  private Eventually() {
  }

  /**
   * Checks {@code condition} until it holds; how long that took.
   *
   * @throws AssertionError if it does not hold within {@code timeout}
   */
  public static Duration until(Callable<Boolean> condition, Duration timeout) throws Exception {
    return until("condition", condition, timeout);
  }

  /**
   * As {@link #until(Callable, Duration)}, naming what was awaited in the failure message:
   * {@code <what>: not within 10 s}.
   */
  public static Duration until(String what, Callable<Boolean> condition, Duration timeout) throws Exception {
    long start = System.nanoTime();
    if (!read(condition, Boolean.TRUE::equals, timeout, EVERY)) {
      throw new AssertionError(what + ": not within " + describe(timeout));
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * Reads a value until {@code done} accepts it; that value, or the last one read once
   * {@code timeout} has passed, for the caller's assertion to judge (and describe).
   */
  public static <T> T read(Callable<T> read, Predicate<? super T> done, Duration timeout) throws Exception {
    return read(read, done, timeout, EVERY);
  }

  /** As {@link #read(Callable, Predicate, Duration)}, parking {@code every} between reads (for reads that cost). */
  public static <T> T read(Callable<T> read, Predicate<? super T> done, Duration timeout, Duration every)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = read.call();
      if (done.test(value) || System.nanoTime() - deadline > 0) {
        return value;
      }
      LockSupport.parkNanos(every.toNanos());
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while waiting");
      }
    }
  }

  private static String describe(Duration timeout) {
    return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
  }
}
