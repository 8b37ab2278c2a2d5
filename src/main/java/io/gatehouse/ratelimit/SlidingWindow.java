package io.gatehouse.ratelimit;

import java.util.Arrays;

/**
 * One key's count under one {@link Limit}: the requests admitted in each of the last
 * {@code SLOTS + 1} sub-windows. A request is admitted only while the sum over every sub-window
 * that overlaps the window ending now is below the limit. Those sub-windows cover the whole
 * window and a little before it, so the sum never undercounts: no window of the limit's length
 * ever admits more than the limit (a steady client gets at least {@code SLOTS/(SLOTS+1)} of it).
 * A GCRA, by contrast, admits up to {@code 2N-1} in a window when it allows a burst of N.
 *
 * <p>Not thread-safe: callers hold its monitor, and read the clock while holding it, so the
 * times it sees never go back (a clock that does is treated as standing still).
 */
final class SlidingWindow {

  private final int[] slots = new int[Limit.SLOTS + 1];
  /** The absolute index (time / slot length) of the newest sub-window counted. */
  private long head;
  /** Where sub-window {@code head} is in {@code slots}: {@code head % slots.length}, kept to spare the divisions. */
  private int headAt;
  private int total;
  /** Set once the window is dropped from its table; a caller holding it looks it up again. */
  boolean removed;

  /** Counts one request at {@code nowMillis} if the limit allows it. */
  Decision take(Limit limit, long nowMillis) {
    long slotMillis = limit.slotMillis();
    advance(nowMillis / slotMillis);
    int max = limit.requests();
    if (total < max) {
      slots[headAt]++;
      total++;
      long reset = Decision.wholeSeconds(leavesAt(oldestCounted(0), slotMillis) - nowMillis);
      return new Decision(limit, true, max - total, reset, 0);
    }
    long oldest = leavesAt(oldestCounted(0), slotMillis);
    long freed = leavesAt(oldestCounted(total - max + 1), slotMillis);
    return new Decision(limit, false, 0, Decision.wholeSeconds(oldest - nowMillis),
        Math.max(Decision.wholeSeconds(freed - nowMillis), 1));
  }

  /**
   * When the sub-window {@code age} places after the oldest in the ring stops counting, in epoch
   * millis: when the ring's head moves {@code age + 1} places on.
   */
  private long leavesAt(int age, long slotMillis) {
    return (head + 1 + age) * slotMillis;
  }

  /** True when nothing counted at {@code nowMillis} is inside the window any more. */
  boolean idle(Limit limit, long nowMillis) {
    return nowMillis / limit.slotMillis() - head >= slots.length || total == 0;
  }

  /**
   * Moves the newest sub-window to {@code current}, forgetting the ones that no longer overlap a
   * window ending in it. A time before the newest (a clock set back) counts as the newest.
   */
  private void advance(long current) {
    long steps = current - head;
    if (steps <= 0) {
      return;
    }
    if (steps >= slots.length) {
      Arrays.fill(slots, 0);
      total = 0;
      headAt = (int) (current % slots.length);
    } else {
      int at = headAt;
      for (long s = 0; s < steps; s++) {
        at = at + 1 == slots.length ? 0 : at + 1;
        total -= slots[at];
        slots[at] = 0;
      }
      headAt = at;
    }
    head = current;
  }

  /**
   * How many sub-windows after the oldest one in the ring lies the one by whose end at least
   * {@code needed} counted requests have been dropped (with 0: the oldest with any count); the
   * newest when nothing is counted.
   */
  private int oldestCounted(int needed) {
    int dropped = 0;
    int at = headAt;
    for (int age = 0; age < slots.length; age++) {
      at = at + 1 == slots.length ? 0 : at + 1; // from the oldest (just after the head) to the head
      dropped += slots[at];
      if (dropped > 0 && dropped >= needed) {
        return age;
      }
    }
    return slots.length - 1;
  }

}
