package io.gatehouse.gateway;

import io.gatehouse.config.CircuitBreakerConfig;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether one upstream target gets requests, as a state machine: <em>closed</em> (every request
 * passes) → <em>open</em> after {@code failures} consecutive failures, or a {@code failure_rate}
 * over the window → <em>half-open</em> once {@code open_for} has passed, when
 * {@code half_open_probes} requests are let through: when all of them succeed it closes, when one
 * fails it opens again for another {@code open_for}.
 *
 * <p>A request asks {@link #admit()} for a {@link Phase}, and reports how it ended against that
 * phase: {@link #succeeded}, {@link #failed}, or {@link #abandoned} when it ended without a verdict
 * on the target (the client left). An outcome reported against a phase the breaker has since
 * left is ignored, so a slow request admitted while closed cannot reopen a breaker that has closed
 * again since, and a late success cannot close an open one.
 *
 * <p>Time is the {@link Clock}'s (tests move it by hand); open → half-open happens on the first
 * look after {@code open_for}, by a request or by a metrics scrape. Thread-safe and lock-free: the
 * phase is one immutable-per-state object behind an {@link AtomicReference}, replaced by
 * compare-and-set, so each transition happens once and is reported once. Admitting a request while
 * closed is one volatile read, and a success while closed writes nothing unless failures were
 * being counted (with a failure rate, one compare-and-set on the window's bucket).
 */
final class CircuitBreaker {

  /** The states, with the number the {@code gatehouse.upstream.circuit} gauge shows for each. */
  enum State {
    CLOSED(0, "closed"), OPEN(1, "open"), HALF_OPEN(2, "half_open");

    final int gauge;
    final String label;

    State(int gauge, String label) {
      this.gauge = gauge;
      this.label = label;
    }
  }

  /** Told of each transition, once, on the thread that caused it. */
  interface Listener {
    void transitioned(State from, State to);
  }

  private final CircuitBreakerConfig config;
  private final Clock clock;
  private final Listener listener;
  private final long openForMillis;
  private final AtomicReference<Phase> phase;

  CircuitBreaker(CircuitBreakerConfig config, Clock clock, Listener listener) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.openForMillis = config.openFor().toMillis();
    this.phase = new AtomicReference<>(closed());
  }

  /** A request may go to the target: the phase to report its outcome against, or null when it may not. */
  Phase admit() {
    Phase current = phase.get();
    if (current.state == State.CLOSED) {
      return current;
    }
    current = current();
    if (current instanceof HalfOpen probing) {
      int left;
      do {
        left = probing.permits.get();
        if (left == 0) {
          return null;
        }
      } while (!probing.permits.compareAndSet(left, left - 1));
      return probing;
    }
    return current.state == State.CLOSED ? current : null;
  }

  /** The request admitted in {@code admitted} got an answer from the target that was not a failure. */
  void succeeded(Phase admitted) {
    if (admitted instanceof Closed closed) {
      if (closed.consecutive.get() != 0) {
        closed.consecutive.set(0);
      }
      if (closed.window != null) {
        closed.window.record(clock.millis(), false);
      }
    } else if (admitted instanceof HalfOpen probing && phase.get() == probing
        && probing.successes.incrementAndGet() >= config.halfOpenProbes()) {
      transition(probing, closed());
    }
  }

  /** The request admitted in {@code admitted} failed at the target (refused, reset, timed out, 502, 503, 504). */
  void failed(Phase admitted) {
    if (admitted instanceof Closed closed) {
      if (phase.get() != closed) {
        return; // already open: this failure changes nothing
      }
      long now = clock.millis();
      boolean trip = closed.consecutive.incrementAndGet() >= config.failures();
      if (closed.window != null) {
        closed.window.record(now, true);
        trip = trip || closed.window.exceeds(now, config.failureRate(), config.minCalls());
      }
      if (trip) {
        transition(closed, new Open(now + openForMillis));
      }
    } else if (admitted instanceof HalfOpen probing && phase.get() == probing) {
      transition(probing, new Open(clock.millis() + openForMillis));
    }
  }

  /** The request admitted in {@code admitted} ended without telling anything about the target: a probe's turn is given back. */
  void abandoned(Phase admitted) {
    if (admitted instanceof HalfOpen probing && phase.get() == probing) {
      probing.permits.incrementAndGet();
    }
  }

  /** The current state (an open breaker whose {@code open_for} has passed turns half-open here). */
  State state() {
    return current().state;
  }

  /**
   * Milliseconds until this target may take a request again: 0 when it may now, the rest of
   * {@code open_for} when open, 0 when half-open with every probe under way (their outcome is near).
   */
  long millisUntilAdmitting() {
    if (current() instanceof Open open) {
      return Math.max(0, open.halfOpenAt - clock.millis());
    }
    return 0;
  }

  private Phase current() {
    Phase current = phase.get();
    if (current instanceof Open open && clock.millis() >= open.halfOpenAt) {
      HalfOpen probing = new HalfOpen(config.halfOpenProbes());
      return transition(open, probing) ? probing : phase.get();
    }
    return current;
  }

  private boolean transition(Phase from, Phase to) {
    if (!phase.compareAndSet(from, to)) {
      return false;
    }
    listener.transitioned(from.state, to.state);
    return true;
  }

  private Closed closed() {
    return new Closed(config.watchesRate() ? new FailureWindow(config.window().toMillis()) : null);
  }

  /** One stay in a state; requests are admitted in one and report against it. */
  abstract static sealed class Phase permits Closed, Open, HalfOpen {
    final State state;

    Phase(State state) {
      this.state = state;
    }
  }

  private static final class Closed extends Phase {
    final AtomicInteger consecutive = new AtomicInteger();
    /** Null unless a failure rate is watched; a fresh one with each closing, so old failures do not count again. */
    final FailureWindow window;

    Closed(FailureWindow window) {
      super(State.CLOSED);
      this.window = window;
    }
  }

  private static final class Open extends Phase {
    final long halfOpenAt;

    Open(long halfOpenAt) {
      super(State.OPEN);
      this.halfOpenAt = halfOpenAt;
    }
  }

  private static final class HalfOpen extends Phase {
    final AtomicInteger permits;
    final AtomicInteger successes = new AtomicInteger();

    HalfOpen(int probes) {
      super(State.HALF_OPEN);
      this.permits = new AtomicInteger(probes);
    }
  }
}
