package io.gatehouse.gateway;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Calls and failures over a rolling window, in ten buckets of a tenth of it each, for a circuit
 * breaker's failure rate. Each bucket is one {@code long} holding its time slot and both counts,
 * updated by compare-and-set: recording is lock-free and allocates nothing. A bucket is reused
 * once its slot has passed, so what is counted is the last nine tenths of the window and the
 * current tenth. Thread-safe.
 */
final class FailureWindow {

  static final int BUCKETS = 10;
  private static final int COUNT_BITS = 18;
  /** Past this many calls in one bucket both counts are halved, which keeps their ratio. */
  private static final long COUNT_MAX = (1L << COUNT_BITS) - 1;
  private static final int SLOT_SHIFT = 2 * COUNT_BITS;
  /**
   * 28 bits of the time slot: a bucket last written exactly 2^28 slots ago (over 8 years with a
   * 10 s window) would be read as current; nothing else is mistaken for it.
   */
  private static final long SLOT_MASK = (1L << (Long.SIZE - SLOT_SHIFT)) - 1;

  private final long bucketMillis;
  private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);

  FailureWindow(long windowMillis) {
    this.bucketMillis = Math.max(1, windowMillis / BUCKETS);
  }

  void record(long nowMillis, boolean failure) {
    long slot = nowMillis / bucketMillis;
    int index = (int) Math.floorMod(slot, (long) BUCKETS);
    long tag = slot & SLOT_MASK;
    while (true) {
      long old = buckets.get(index);
      long calls = 0;
      long failures = 0;
      if (old >>> SLOT_SHIFT == tag) {
        calls = old >>> COUNT_BITS & COUNT_MAX;
        failures = old & COUNT_MAX;
      }
      if (calls == COUNT_MAX) {
        calls >>>= 1;
        failures >>>= 1;
      }
      calls++;
      if (failure) {
        failures++;
      }
      if (buckets.compareAndSet(index, old, tag << SLOT_SHIFT | calls << COUNT_BITS | failures)) {
        return;
      }
    }
  }

  /** Whether at least {@code minCalls} calls fell in the window and at least {@code rate} of them failed. */
  boolean exceeds(long nowMillis, double rate, int minCalls) {
    long slot = nowMillis / bucketMillis;
    long calls = 0;
    long failures = 0;
    for (int i = 0; i < BUCKETS; i++) {
      long bucket = buckets.get(i);
      long age = (slot - (bucket >>> SLOT_SHIFT)) & SLOT_MASK;
      if (age < BUCKETS) {
        calls += bucket >>> COUNT_BITS & COUNT_MAX;
        failures += bucket & COUNT_MAX;
      }
    }
    return calls >= minCalls && failures >= rate * calls;
  }
}
