package io.gatehouse.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults at fixed offsets from the start of the load, each for a fixed length, one after the
 * other on a thread of its own; and the windows they were active in, which the checks consult to
 * tell an expected failure from a broken promise.
 */
public final class FaultSchedule {

  private static final Logger LOG = LoggerFactory.getLogger(FaultSchedule.class);

  /** A fault to inject {@code at} after the start, healed {@code length} later. */
  public record Step(Duration at, Duration length, Fault fault) {
  }

  /** When a fault was active, in seconds of the run; {@code healedAt} is NaN until healed. */
  public static final class Window {
    private final Fault fault;
    private final double injectedAt;
    private volatile double healedAt = Double.NaN;
    private volatile String problem;

    Window(Fault fault, double injectedAt) {
      this.fault = fault;
      this.injectedAt = injectedAt;
    }

    public String name() {
      return fault.name();
    }

    public Set<Allowance> allows() {
      return fault.allows();
    }

    public double injectedAt() {
      return injectedAt;
    }

    public double healedAt() {
      return healedAt;
    }

    /** Why injecting or healing failed, or null. */
    public String problem() {
      return problem;
    }

    boolean covers(Allowance allowance, double from, double to) {
      if (!fault.allows().contains(allowance) || to < injectedAt) {
        return false;
      }
      double healed = healedAt;
      return Double.isNaN(healed) || from <= healed + fault.grace().toMillis() / 1000.0;
    }
  }

  private final List<Step> steps;
  private final List<Window> windows = new CopyOnWriteArrayList<>();
  private volatile boolean stopped;

  public FaultSchedule(List<Step> steps) {
    List<Step> sorted = new ArrayList<>(steps);
    sorted.sort(Comparator.comparing(Step::at));
    this.steps = List.copyOf(sorted);
  }

  public List<Step> steps() {
    return steps;
  }

  public List<Window> windows() {
    return List.copyOf(windows);
  }

  /** True when a fault that allows {@code allowance} was active at some time of {@code [from, to]} (seconds). */
  public boolean allows(Allowance allowance, double from, double to) {
    for (Window window : windows) {
      if (window.covers(allowance, from, to)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The second a failed request is counted in: the one it was sent in, or, when a fault struck
   * while it was under way, the one that fault struck in (the failure is that fault's, not the
   * recovery's from the one before).
   */
  public int blame(double sentAt, double endedAt) {
    double at = sentAt;
    for (Window window : windows) {
      if (window.injectedAt() > at && window.injectedAt() <= endedAt) {
        at = window.injectedAt();
      }
    }
    return (int) at;
  }

  /** True when any fault was active (or in its grace) at some time of {@code [from, to]}. */
  public boolean anyActive(double from, double to) {
    for (Allowance allowance : Allowance.values()) {
      if (allows(allowance, from, to)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs the schedule on a thread of its own, its offsets counted from {@code base} seconds of
   * {@code clock}; {@link #stop()} heals what is active and starts nothing more.
   */
  public Thread start(RunClock clock, double base) {
    Thread thread = new Thread(() -> {
      for (Step step : steps) {
        if (!sleepUntil(clock, base + step.at().toMillis() / 1000.0)) {
          return;
        }
        Window window = new Window(step.fault(), clock.elapsed());
        windows.add(window);
        LOG.info("fault at {} s: {}", Math.round(window.injectedAt()), step.fault().name());
        try {
          step.fault().inject();
        } catch (Exception e) {
          window.problem = "inject: " + e;
          LOG.error("fault {} could not be injected", step.fault().name(), e);
        }
        sleepUntil(clock, window.injectedAt() + step.length().toMillis() / 1000.0);
        try {
          step.fault().heal();
        } catch (Exception e) {
          window.problem = (window.problem == null ? "" : window.problem + "; ") + "heal: " + e;
          LOG.error("fault {} could not be healed", step.fault().name(), e);
        }
        window.healedAt = clock.elapsed();
        LOG.info("healed at {} s: {}", Math.round(window.healedAt()), step.fault().name());
      }
    }, "fault-schedule");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Ends the schedule early: the fault under way is healed at once, the rest never start. */
  public void stop() {
    stopped = true;
  }

  private boolean sleepUntil(RunClock clock, double second) {
    while (clock.elapsed() < second) {
      if (stopped) {
        return false;
      }
      try {
        // Real time: the schedule starts and heals faults at wall-clock seconds of a run against real servers.
        Thread.sleep(Math.min(100, Math.max(1, (long) ((second - clock.elapsed()) * 1000))));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
