package io.gatehouse.identity;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads password hashing runs on, with a bound on the work waiting for them. Argon2
 * is slow on purpose, so a flood of logins would otherwise queue without limit and make every
 * login wait; past the bound a hash is refused at once with {@link BusyException} (503), and the
 * gateway's other traffic is untouched. So is a hash asked for while the instance stops and its
 * workers are closed. Thread-safe.
 */
public final class HashingPool {

  /** Too many hashes are waiting; try again shortly. No stack trace: it is an answer, not a bug. */
  public static final class BusyException extends RuntimeException {
    BusyException() {
      super("password hashing is saturated", null, false, false);
    }
  }

  private final WorkerExecutor workers;
  private final int maxPending;
  private final AtomicInteger pending = new AtomicInteger();

  /** @param maxPending hashes running or queued at once; more are refused */
  public HashingPool(WorkerExecutor workers, int maxPending) {
    this.workers = workers;
    this.maxPending = maxPending;
  }

  public <T> Future<T> submit(Callable<T> work) {
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      return Future.failedFuture(new BusyException());
    }
    try {
      return workers.executeBlocking(work, false).andThen(done -> pending.decrementAndGet());
    } catch (RejectedExecutionException e) {
      // The workers are closed: the instance is stopping. A request still in flight gets the 503
      // of a busy pool (try again, elsewhere), not a 500; found by the soak's restarts.
      pending.decrementAndGet();
      return Future.failedFuture(new BusyException());
    }
  }
}
