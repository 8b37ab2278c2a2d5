package io.gatehouse.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-process {@link RateLimiter}: a {@link SlidingWindow} per limit and key, exact under any
 * number of threads (each key's window is updated under its own monitor, and the clock is read
 * inside it).
 *
 * <p>Memory is bounded by {@code maxKeys} windows across all limits, 195 bytes each with the
 * map entry and an IPv4 key (a million keys in 195 MB of heap, {@code bench/ratelimit-memory.sh}). {@link #sweep()}
 * forgets the windows with nothing left to count; while the table is full, each limit counts
 * every new key in one shared window, so a flood of fresh keys (spoofed headers, an IPv6 range)
 * is limited together instead of growing the heap, and keys already counted keep their counts.
 */
public final class LocalRateLimiter implements RateLimiter {

  private final Clock clock;
  private final int maxKeys;
  private final Map<Limit, Table> tables = new ConcurrentHashMap<>();
  private final AtomicInteger keys = new AtomicInteger();
  private final Counter overflowed;
  private final Counter refused;

  public LocalRateLimiter(Clock clock, int maxKeys, MeterRegistry registry) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxKeys = maxKeys;
    Gauge.builder("gatehouse.ratelimit.keys", keys, AtomicInteger::get)
        .description("Keys counted by the in-process rate limiter").register(registry);
    this.overflowed = Counter.builder("gatehouse.ratelimit.overflow")
        .description("Requests counted in a limit's shared window because the key table was full").register(registry);
    this.refused = Counter.builder("gatehouse.ratelimit.refused")
        .description("Requests refused by a rate limit").register(registry);
  }

  @Override
  public Future<Decision> acquire(Limit limit, String key) {
    return Future.succeededFuture(decide(limit, key));
  }

  /** {@link #acquire} without the future: the decision, at once. */
  public Decision decide(Limit limit, String key) {
    Table table = tables.get(limit);
    if (table == null) {
      table = tables.computeIfAbsent(limit, l -> new Table());
    }
    while (true) {
      SlidingWindow window = table.windows.get(key);
      if (window == null) {
        window = table.add(key);
      }
      synchronized (window) {
        if (!window.removed) {
          Decision decision = window.take(limit, clock.millis());
          if (!decision.admitted()) {
            refused.increment();
          }
          return decision;
        }
      }
      // Swept between the lookup and the lock: look again (the count went with it, and was nothing).
    }
  }

  /**
   * Forgets every window with nothing left to count. Run it periodically, off the event loops:
   * it walks every key.
   *
   * @return the number of windows dropped
   */
  public int sweep() {
    int dropped = 0;
    for (Map.Entry<Limit, Table> entry : tables.entrySet()) {
      Limit limit = entry.getKey();
      Map<String, SlidingWindow> windows = entry.getValue().windows;
      for (Map.Entry<String, SlidingWindow> keyed : windows.entrySet()) {
        SlidingWindow window = keyed.getValue();
        synchronized (window) {
          if (window.idle(limit, clock.millis()) && windows.remove(keyed.getKey(), window)) {
            window.removed = true;
            keys.decrementAndGet();
            dropped++;
          }
        }
      }
    }
    return dropped;
  }

  /** Keys counted now, across every limit. */
  public int size() {
    return keys.get();
  }

  /** One limit's windows by key, and the window new keys share while the table is full. */
  private final class Table {
    final Map<String, SlidingWindow> windows = new ConcurrentHashMap<>();
    final SlidingWindow overflow = new SlidingWindow();

    SlidingWindow add(String key) {
      if (keys.incrementAndGet() > maxKeys) {
        keys.decrementAndGet();
        SlidingWindow existing = windows.get(key);
        if (existing != null) {
          return existing;
        }
        overflowed.increment();
        return overflow;
      }
      SlidingWindow fresh = new SlidingWindow();
      SlidingWindow raced = windows.putIfAbsent(key, fresh);
      if (raced != null) {
        keys.decrementAndGet();
        return raced;
      }
      return fresh;
    }
  }
}
