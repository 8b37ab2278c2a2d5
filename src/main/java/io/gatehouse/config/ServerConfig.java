package io.gatehouse.config;

import io.gatehouse.http.Cidr;
import java.util.List;
import java.util.Set;

/**
 * The public listeners and what they accept, {@code server}.
 *
 * @param trustedProxies peers whose {@code X-Forwarded-*} and {@code Forwarded} headers are kept
 *     and appended to; from any other peer they are replaced (default: none)
 */
public record ServerConfig(ListenerConfig http, HttpsConfig https, LimitsConfig limits, List<Cidr> trustedProxies) {

  static ServerConfig read(Section root) {
    Section s = root.section("server", Set.of("http", "https", "limits", "trusted_proxies"));
    return new ServerConfig(
        ListenerConfig.read(s.section("http", ListenerConfig.KEYS), "0.0.0.0", 8080),
        HttpsConfig.read(s),
        LimitsConfig.read(s),
        s.parsed("trusted_proxies", Cidr::parse));
  }
}
