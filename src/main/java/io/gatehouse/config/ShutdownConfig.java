package io.gatehouse.config;

import java.time.Duration;
import java.util.Set;

/**
 * How the server drains on SIGTERM ({@code shutdown}): {@code /health/ready} answers 503 at once,
 * the listeners keep accepting and serving for {@code delay} (so a load balancer's health check
 * takes the instance out before anything is refused), then they stop accepting and the requests in
 * flight have up to {@code timeout} to finish before the remaining connections are cut.
 *
 * @param delay how long the listeners keep accepting after readiness turned 503 (default 5s; 0s
 *     stops accepting at once, for an instance no balancer checks)
 * @param timeout how long the requests in flight may take once accepting stopped (default 30s)
 */
public record ShutdownConfig(Duration delay, Duration timeout) {

  public static final ShutdownConfig DEFAULT = new ShutdownConfig(Duration.ofSeconds(5), Duration.ofSeconds(30));

  static ShutdownConfig read(Section root) {
    Section s = root.section("shutdown", Set.of("delay", "timeout"));
    return new ShutdownConfig(s.durationOrZero("delay", DEFAULT.delay()), s.duration("timeout", DEFAULT.timeout()));
  }
}
