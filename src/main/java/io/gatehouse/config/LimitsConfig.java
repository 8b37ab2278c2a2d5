package io.gatehouse.config;

import java.time.Duration;
import java.util.Set;

/**
 * Request limits, {@code server.limits}, enforced for every request before routing.
 *
 * @param maxHeaderBytes request line plus headers larger than this get 431 (default 16KiB); on
 *     HTTP/2 the advertised header list size
 * @param maxBodyBytes request bodies larger than this get 413 (default 1MiB)
 * @param idleTimeout a connection with no traffic and no request in progress for this long is closed (default 60s)
 * @param requestTimeout the request head must arrive within this from its first byte, and the body
 *     within this after the head, else 408 (default 30s)
 * @param maxConcurrentStreams HTTP/2 streams one connection may have open at once (default 100)
 * @param maxConnectionsPerAddress connections one client address (an IPv6 /64) may have open on the
 *     public listeners at once; more are closed when accepted (default 256; trusted proxies are exempt)
 */
public record LimitsConfig(int maxHeaderBytes, long maxBodyBytes, Duration idleTimeout, Duration requestTimeout,
    int maxConcurrentStreams, int maxConnectionsPerAddress) {

  static LimitsConfig read(Section parent) {
    Section s = parent.section("limits", Set.of("max_header_bytes", "max_body_bytes", "idle_timeout", "request_timeout",
        "max_concurrent_streams", "max_connections_per_address"));
    return new LimitsConfig(
        (int) s.bytes("max_header_bytes", 16 * 1024, 1024, 1024 * 1024),
        s.bytes("max_body_bytes", 1024 * 1024, 0, Long.MAX_VALUE),
        s.duration("idle_timeout", Duration.ofSeconds(60)),
        s.duration("request_timeout", Duration.ofSeconds(30)),
        s.integer("max_concurrent_streams", 100, 1, 10_000),
        s.integer("max_connections_per_address", 256, 1, 1_000_000));
  }
}
