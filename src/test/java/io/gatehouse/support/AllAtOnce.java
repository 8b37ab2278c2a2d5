package io.gatehouse.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/** Runs one attempt from several threads released together, for races that must have one outcome. */
public final class AllAtOnce {

  private AllAtOnce() {
  }

  /**
   * Runs {@code attempt} {@code times} times on each of {@code threads} threads, all started at
   * once; how many attempts answered true. An attempt that throws fails the call.
   */
  public static int count(int threads, int times, BooleanSupplier attempt) throws InterruptedException {
    AtomicInteger wins = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        try {
          go.await();
          for (int i = 0; i < times; i++) {
            if (attempt.getAsBoolean()) {
              wins.incrementAndGet();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          failure.compareAndSet(null, e);
        }
      });
      thread.start();
      started.add(thread);
    }
    go.countDown();
    for (Thread thread : started) {
      thread.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return wins.get();
  }
}
