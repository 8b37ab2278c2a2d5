package io.gatehouse.ratelimit;

import java.util.Arrays;

/**
 * One key's count under one {@link Limit}: the requests admitted in each of the last
 * {@code SLOTS + 1} sub-windows, and when the latest of each was admitted. A request is admitted
 * only while fewer than the limit still count; a sub-window's requests count until a whole window
 * has passed since its latest one, so every request counts for at least the window's length and no
 * window of that length ever admits more than the limit (a steady client gets at least
 * {@code SLOTS/(SLOTS+1)} of it). {@code RateLimit-Reset} and {@code Retry-After} are when counted
 * requests stop counting, so they never exceed the window. A GCRA, by contrast, admits up to
 * {@code 2N-1} in a window when it allows a burst of N.
 *
 * <p>Not thread-safe: callers hold its monitor, and read the clock while holding it, so the
 * times it sees never go back (a clock that does is treated as standing still).
 */
final class SlidingWindow {

  private static final int RING = Limit.SLOTS + 1;

  /**
   * The count of each sub-window of the ring ({@code [0, RING)}), then when the latest request
   * counted in each was admitted, in millis from the sub-window's start ({@code [RING, 2·RING)}):
   * one array, since a million keys each pay for an array's header.
   */
  private final int[] slots = new int[2 * RING];
  /** The absolute index (time / slot length) of the newest sub-window counted. */
  private long head;
  /** Where sub-window {@code head} is in {@code slots}: {@code head % RING}, kept to spare the divisions. */
  private int headAt;
  private int total;
  /** Set once the window is dropped from its table; a caller holding it looks it up again. */
  boolean removed;

  /** Counts one request at {@code nowMillis} if the limit allows it. */
  Decision take(Limit limit, long nowMillis) {
    long slotMillis = limit.slotMillis();
    advance(nowMillis / slotMillis);
    expireOldest(limit, nowMillis);
    int max = limit.requests();
    if (total < max) {
      slots[headAt]++;
      // A clock set back counts as standing still: the latest time only moves on.
      slots[RING + headAt] = Math.max(slots[RING + headAt], (int) Math.max(0, nowMillis - head * slotMillis));
      total++;
      long reset = Decision.wholeSeconds(leavesAt(oldestCounted(0), limit) - nowMillis);
      return new Decision(limit, true, max - total, reset, 0);
    }
    long oldest = leavesAt(oldestCounted(0), limit);
    long freed = leavesAt(oldestCounted(total - max + 1), limit);
    return new Decision(limit, false, 0, Decision.wholeSeconds(oldest - nowMillis),
        Math.max(Decision.wholeSeconds(freed - nowMillis), 1));
  }

  /**
   * When the sub-window {@code age} places after the oldest in the ring stops counting, in epoch
   * millis: a window after its latest request. Never later than the ring's head moving past it,
   * since a sub-window is at most a tenth of the window.
   */
  private long leavesAt(int age, Limit limit) {
    int at = (headAt + 1 + age) % RING;
    long start = (head - (RING - 1) + age) * limit.slotMillis();
    return start + slots[RING + at] + limit.perMillis();
  }

  /**
   * Drops the oldest sub-window once a whole window has passed since its latest request: only it
   * can, since every later one began less than a window ago.
   */
  private void expireOldest(Limit limit, long nowMillis) {
    int oldest = headAt + 1 == RING ? 0 : headAt + 1;
    if (slots[oldest] > 0 && leavesAt(0, limit) <= nowMillis) {
      total -= slots[oldest];
      slots[oldest] = 0;
    }
  }

  /** True when nothing counted at {@code nowMillis} is inside the window any more. */
  boolean idle(Limit limit, long nowMillis) {
    return nowMillis / limit.slotMillis() - head >= RING || total == 0;
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
    if (steps >= RING) {
      Arrays.fill(slots, 0);
      total = 0;
      headAt = (int) (current % RING);
    } else {
      int at = headAt;
      for (long s = 0; s < steps; s++) {
        at = at + 1 == RING ? 0 : at + 1;
        total -= slots[at];
        slots[at] = 0;
        slots[RING + at] = 0;
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
    for (int age = 0; age < RING; age++) {
      at = at + 1 == RING ? 0 : at + 1; // from the oldest (just after the head) to the head
      dropped += slots[at];
      if (dropped > 0 && dropped >= needed) {
        return age;
      }
    }
    return RING - 1;
  }

}
