package io.gatehouse.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where a route forwards to: {@code upstream: http://host:port[/base]} or
 * {@code upstream: {targets: [url, …], connect_timeout: 5s, max_connections: 256, max_in_flight: 1000,
 * circuit_breaker: {…}}}. Requests go to the targets in round robin over pooled keep-alive
 * connections.
 *
 * @param maxConnections pooled connections per target and event loop (default 256)
 * @param maxInFlight requests of this route at the upstream at once, over all targets and event
 *     loops; one more is answered 503 at once, never queued. {@link #UNLIMITED} (the default) when
 *     not configured
 * @param circuitBreaker the breaker each target gets, or null for none (the default)
 */
public record UpstreamConfig(List<URI> targets, Duration connectTimeout, int maxConnections, int maxInFlight,
    CircuitBreakerConfig circuitBreaker) {

  /** {@code max_in_flight} when the key is absent: no limit, and nothing counted. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  private static final Set<String> KEYS = Set.of("targets", "connect_timeout", "max_connections", "max_in_flight",
      "circuit_breaker");

  public boolean limitsInFlight() {
    return maxInFlight != UNLIMITED;
  }

  static UpstreamConfig read(Section route) {
    ConfigNode node = route.get("upstream");
    if (node.kind() == ConfigNode.Kind.SCALAR) {
      URI target = route.httpUrl(node, node.text(), null);
      return target == null ? null
          : new UpstreamConfig(List.of(target), Duration.ofSeconds(5), 256, UNLIMITED, null);
    }
    Section s = new Section(node, route.problems(), KEYS);
    List<URI> targets = new ArrayList<>();
    for (ConfigNode item : s.items(s.get("targets"))) {
      URI target = item.kind() == ConfigNode.Kind.SCALAR ? s.httpUrl(item, item.text(), null) : null;
      if (item.kind() != ConfigNode.Kind.SCALAR) {
        route.problems().add(item, "expected a URL, got " + item.describe());
      }
      if (target != null) {
        targets.add(target);
      }
    }
    if (targets.isEmpty()) {
      s.problem("targets", "at least one target URL is required");
      return null;
    }
    return new UpstreamConfig(List.copyOf(targets),
        s.duration("connect_timeout", Duration.ofSeconds(5)),
        s.integer("max_connections", 256, 1, 100_000),
        s.integer("max_in_flight", UNLIMITED, 1, 10_000_000),
        CircuitBreakerConfig.read(s));
  }
}
