package io.gatehouse.http.server;

import io.gatehouse.config.Cidr;
import io.gatehouse.http.TrustedProxies;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per client address, across the public listeners: a connection beyond
 * {@code server.limits.max_connections_per_address} is closed as soon as it is accepted, before
 * a byte is read, so one host cannot hold every socket (slowloris). IPv6 addresses count by their
 * /64; trusted proxies, which carry many clients' connections, are not counted. Memory: one entry
 * per address with a connection open. Thread-safe.
 */
public final class ConnectionsPerAddress {

  private final int max;
  private final TrustedProxies exempt;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();
  private final Counter refused;

  public ConnectionsPerAddress(int max, TrustedProxies exempt, MeterRegistry registry) {
    this.max = max;
    this.exempt = exempt;
    this.refused = Counter.builder("gatehouse.connections.refused").tag("reason", "per_address")
        .description("Connections closed at once because their address had too many open").register(registry);
  }

  /** Counts {@code channel} until it closes; false (and nothing counted) when its address is at the limit. */
  boolean admit(Channel channel) {
    if (!(channel.remoteAddress() instanceof InetSocketAddress remote) || remote.getAddress() == null) {
      return true;
    }
    String address = remote.getAddress().getHostAddress();
    if (exempt.isTrusted(address)) {
      return true;
    }
    String key = Cidr.hostKey(address);
    boolean[] admitted = new boolean[1];
    open.compute(key, (k, count) -> {
      int now = count == null ? 0 : count;
      admitted[0] = now < max;
      return admitted[0] ? now + 1 : count;
    });
    if (!admitted[0]) {
      refused.increment();
      return false;
    }
    channel.closeFuture().addListener(closed -> open.computeIfPresent(key, (k, count) -> count > 1 ? count - 1 : null));
    return true;
  }

  /** Connections open from {@code address} now. */
  public int openFrom(String address) {
    return open.getOrDefault(Cidr.hostKey(address), 0);
  }
}
