package io.gatehouse.config;

import java.time.Duration;
import java.util.Set;

/**
 * When an upstream target stops getting requests: {@code circuit_breaker: {failures: 5, open_for: 30s}}
 * under a route's {@code upstream}. A failure is a refused, reset or timed-out connection or
 * request, or a 502, 503 or 504 from the target. The breaker opens after {@code failures}
 * consecutive failures, or, with {@code failure_rate}, once that share of at least
 * {@code min_calls} calls within the last {@code window} failed; it stays open for
 * {@code open_for}, then lets {@code half_open_probes} requests through: all of them succeeding
 * closes it, one failing opens it again. Off unless the key is present ({@code circuit_breaker: {}}
 * turns it on with the defaults).
 *
 * @param failures consecutive failures that open the breaker (default 5)
 * @param failureRate share of failed calls, above 0 up to 1, that opens it; 0 when not configured
 * @param window how far back the failure rate looks (default 10s)
 * @param minCalls calls within the window before the rate counts (default 20)
 * @param openFor how long an open breaker refuses requests before probing (default 30s)
 * @param halfOpenProbes requests let through to probe a target (default 1)
 */
public record CircuitBreakerConfig(int failures, double failureRate, Duration window, int minCalls, Duration openFor,
    int halfOpenProbes) {

  private static final Set<String> KEYS = Set.of("failures", "failure_rate", "window", "min_calls", "open_for",
      "half_open_probes");

  /** The breaker with every default: 5 consecutive failures open it for 30 s, then one probe. */
  public static final CircuitBreakerConfig DEFAULTS = new CircuitBreakerConfig(5, 0, Duration.ofSeconds(10), 20,
      Duration.ofSeconds(30), 1);

  /** Whether a failure rate is watched besides consecutive failures. */
  public boolean watchesRate() {
    return failureRate > 0;
  }

  /** The breaker under {@code upstream}, or null when the route has none. */
  static CircuitBreakerConfig read(Section upstream) {
    if (!upstream.has("circuit_breaker")) {
      return null;
    }
    Section s = upstream.section("circuit_breaker", KEYS);
    double rate = s.fraction("failure_rate", 0);
    if (rate == 0) {
      for (String key : new String[] {"window", "min_calls"}) {
        if (s.has(key)) {
          s.problem(key, "only applies with failure_rate");
        }
      }
    }
    return new CircuitBreakerConfig(
        s.integer("failures", DEFAULTS.failures, 1, 1_000_000),
        rate,
        s.duration("window", DEFAULTS.window),
        s.integer("min_calls", DEFAULTS.minCalls, 1, 1_000_000),
        s.duration("open_for", DEFAULTS.openFor),
        s.integer("half_open_probes", DEFAULTS.halfOpenProbes, 1, 1000));
  }
}
