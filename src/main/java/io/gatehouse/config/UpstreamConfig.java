package io.gatehouse.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where a route forwards to: {@code upstream: http://host:port[/base]} or
 * {@code upstream: {targets: [url, …], connect_timeout: 5s, max_connections: 256}}.
 * Requests go to the targets in round robin over pooled keep-alive connections.
 *
 * @param maxConnections pooled connections per target and event loop (default 256)
 */
public record UpstreamConfig(List<URI> targets, Duration connectTimeout, int maxConnections) {

  static UpstreamConfig read(Section route) {
    ConfigNode node = route.get("upstream");
    if (node.kind() == ConfigNode.Kind.SCALAR) {
      URI target = route.httpUrl(node, node.text(), null);
      return target == null ? null : new UpstreamConfig(List.of(target), Duration.ofSeconds(5), 256);
    }
    Section s = new Section(node, route.problems(), Set.of("targets", "connect_timeout", "max_connections"));
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
        s.integer("max_connections", 256, 1, 100_000));
  }
}
