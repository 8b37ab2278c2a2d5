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
  private int total;
  /** Set once the window is dropped from its table; a caller holding it looks it up again. */
  boolean removed;

  /** Counts one request at {@code nowMillis} if the limit allows it. */
  Decision take(Limit limit, long nowMillis) {
    long slotMillis = limit.slotMillis();
    long current = Math.max(nowMillis / slotMillis, head);
    advance(current);
    int max = limit.requests();
    if (total < max) {
      slots[(int) (current % slots.length)]++;
      total++;
      return new Decision(limit, true, max - total, seconds(expiryOfOldest(current, slotMillis) - nowMillis), 0);
    }
    long retry = seconds(freedAt(current, slotMillis, total - max + 1) - nowMillis);
    return new Decision(limit, false, 0, seconds(expiryOfOldest(current, slotMillis) - nowMillis), Math.max(retry, 1));
  }

  /** True when nothing counted at {@code nowMillis} is inside the window any more. */
  boolean idle(Limit limit, long nowMillis) {
    return nowMillis / limit.slotMillis() - head >= slots.length || total == 0;
  }

  /** Forgets the sub-windows that no longer overlap a window ending in sub-window {@code current}. */
  private void advance(long current) {
    long steps = current - head;
    if (steps == 0) {
      return;
    }
    if (steps >= slots.length) {
      Arrays.fill(slots, 0);
      total = 0;
    } else {
      for (long s = head + 1; s <= current; s++) {
        int i = (int) (s % slots.length);
        total -= slots[i];
        slots[i] = 0;
      }
    }
    head = current;
  }

  /** When the oldest sub-window with a count stops counting, in epoch millis; the current time's slot when none counts. */
  private long expiryOfOldest(long current, long slotMillis) {
    for (long s = current - slots.length + 1; s <= current; s++) {
      if (slots[(int) (s % slots.length)] > 0) {
        return (s + slots.length) * slotMillis;
      }
    }
    return 0;
  }

  /** When at least {@code needed} of the counted requests have stopped counting, in epoch millis. */
  private long freedAt(long current, long slotMillis, int needed) {
    int freed = 0;
    for (long s = current - slots.length + 1; s <= current; s++) {
      freed += slots[(int) (s % slots.length)];
      if (freed >= needed) {
        return (s + slots.length) * slotMillis;
      }
    }
    return (current + slots.length) * slotMillis;
  }

  private static long seconds(long millis) {
    return millis <= 0 ? 0 : (millis + 999) / 1000;
  }
}
