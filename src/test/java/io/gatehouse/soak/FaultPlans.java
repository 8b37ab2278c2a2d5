package io.gatehouse.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The faults of a soak and when they strike. */
final class FaultPlans {

  private FaultPlans() {
  }

  /** What the scale-out soak can break: the upstream, two instances, Redis and PostgreSQL with their relays. */
  record ScaleOut(SoakUpstream upstream, Fault killA, Fault killB, Fault killRedis,
      FaultRelay redisRelay, FaultRelay postgresRelay, PostgresRestart postgresRestart) {
  }

  /**
   * The scale-out schedule for a 10-minute soak, squeezed or stretched to {@code duration}: each
   * fault once, a quiet minute first and a quiet tail to recover in.
   */
  static FaultSchedule scaleOut(Duration duration, ScaleOut on) {
    double scale = duration.toSeconds() / 600.0;
    List<FaultSchedule.Step> steps = new ArrayList<>();
    step(steps, scale, 60, 20, upstream(on.upstream(), SoakUpstream.Mode.RESET));
    step(steps, scale, 105, 20, upstream(on.upstream(), SoakUpstream.Mode.STALL));
    step(steps, scale, 150, 15, on.killA());
    step(steps, scale, 225, 15, on.killRedis());
    step(steps, scale, 290, 10, on.postgresRestart());
    step(steps, scale, 345, 30, latency(on.redisRelay(), 100));
    step(steps, scale, 400, 20, resets(on.redisRelay(), Duration.ofSeconds(2)));
    step(steps, scale, 450, 30, latency(on.postgresRelay(), 150));
    step(steps, scale, 505, 15, on.killB());
    return new FaultSchedule(steps);
  }

  private static void step(List<FaultSchedule.Step> steps, double scale, int at, int length, Fault fault) {
    steps.add(new FaultSchedule.Step(Duration.ofMillis(Math.round(at * scale * 1000)),
        Duration.ofMillis(Math.max(5000, Math.round(length * scale * 1000))), fault));
  }

  /** The upstream resetting or stalling every other request. */
  static Fault upstream(SoakUpstream upstream, SoakUpstream.Mode mode) {
    return Fault.of(mode == SoakUpstream.Mode.RESET ? "upstream resets every other request"
            : "upstream stalls every other request", Set.of(Allowance.UPSTREAM_FAILURE), Duration.ofSeconds(10),
        () -> upstream.mode(mode), () -> upstream.mode(SoakUpstream.Mode.NORMAL));
  }

  /** {@code millis} more in each direction through {@code relay}. */
  static Fault latency(FaultRelay relay, long millis) {
    return Fault.of(relay.name() + " relay: +" + millis + " ms each way", Set.of(Allowance.STORE_UNAVAILABLE),
        Duration.ofSeconds(10), () -> relay.latency(millis), () -> relay.latency(0));
  }

  /** Every connection through {@code relay} reset, again and again, each {@code every}. */
  static Fault resets(FaultRelay relay, Duration every) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(SoakClient.daemon("relay-resets"));
    ScheduledFuture<?>[] running = new ScheduledFuture<?>[1];
    return Fault.of(relay.name() + " relay: connections reset every " + every.toSeconds() + " s",
        Set.of(Allowance.STORE_UNAVAILABLE), Duration.ofSeconds(10),
        () -> running[0] = timer.scheduleAtFixedRate(relay::reset, 0, every.toMillis(), TimeUnit.MILLISECONDS),
        () -> running[0].cancel(false));
  }

  /** Refuses and resets every connection through {@code relay} while it lasts. */
  static Fault cut(FaultRelay relay, Set<Allowance> allows) {
    return Fault.of(relay.name() + " relay cut", allows, Duration.ofSeconds(10), relay::cut, relay::restore);
  }
}
