package io.gatehouse.observability;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * How late each event loop runs what it was asked to run: a task scheduled every
 * {@value #TICK_MILLIS} ms on each loop notes how long past its time it ran, and the gauge
 * {@code gatehouse_event_loop_lag_seconds{loop}} shows the longest of the last second's delays.
 *
 * <p>A loop that something blocks (a slow callback, a blocking call that slipped onto it, a long
 * garbage collection) shows it here at once, long before request latencies say why. It costs each
 * loop ten tiny tasks a second. The probes stop by themselves when their loop shuts down.
 */
public final class EventLoopLag {

  /** How often each loop is probed. */
  static final long TICK_MILLIS = 100;
  /** The probes a gauge's value is the worst of: a second's worth. */
  private static final int WINDOW = 10;

  private EventLoopLag() {
  }

  /** Starts probing every loop of {@code loops}, each with a gauge tagged by its index. */
  public static void watch(Iterable<EventExecutor> loops, MeterRegistry registry) {
    requireNonNull(registry, "registry");
    int index = 0;
    for (EventExecutor loop : loops) {
      Probe probe = new Probe(loop);
      Gauge.builder("gatehouse.event.loop.lag", probe, Probe::worstSeconds)
          .tag("loop", Integer.toString(index++))
          .baseUnit("seconds")
          .description("The longest a task ran past its scheduled time on this event loop over the last second")
          .register(registry);
      probe.schedule();
    }
  }

  /** One loop's probe; its fields other than {@link #worstNanos} are touched on the loop only. */
  static final class Probe implements Runnable {
    private final EventExecutor loop;
    private final long[] recent = new long[WINDOW];
    private int next;
    private long due;
    private volatile long worstNanos;

    Probe(EventExecutor loop) {
      this.loop = loop;
    }

    void schedule() {
      due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
      try {
        loop.schedule(this, TICK_MILLIS, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // the loop is shutting down: nothing left to watch
      }
    }

    @Override
    public void run() {
      recent[next] = Math.max(0, System.nanoTime() - due);
      next = (next + 1) % WINDOW;
      long worst = 0;
      for (long late : recent) {
        worst = Math.max(worst, late);
      }
      worstNanos = worst;
      if (!loop.isShuttingDown()) {
        schedule();
      }
    }

    double worstSeconds() {
      return worstNanos / 1e9;
    }
  }
}
