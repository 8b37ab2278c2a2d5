package io.gatehouse.config;

import java.util.List;
import java.util.Set;

/**
 * The public listeners and what they accept, {@code server}.
 *
 * @param transport the network transport (default {@code auto}: epoll on Linux, else NIO)
 * @param hosts the host names the public listeners answer for, {@code *.example.com} for any
 *     sub-domain; a request for any other host gets 421. Empty (the default) answers every host
 * @param trustedProxies peers whose {@code X-Forwarded-*} and {@code Forwarded} headers are kept
 *     and appended to; from any other peer they are replaced (default: none)
 * @param forwardedHeader the trusted proxies name the client in RFC 7239 {@code Forwarded}
 *     ({@code client_header: forwarded}) rather than {@code X-Forwarded-For} (the default); only
 *     that one is read, since a proxy passes the other through as the client sent it
 */
public record ServerConfig(ListenerConfig http, HttpsConfig https, LimitsConfig limits, TransportKind transport,
    List<String> hosts, List<Cidr> trustedProxies, boolean forwardedHeader) {

  static ServerConfig read(Section root) {
    Section s = root.section("server", Set.of("http", "https", "limits", "transport", "hosts", "trusted_proxies",
        "client_header"));
    String clientHeader = s.string("client_header", "x-forwarded-for").toLowerCase(java.util.Locale.ROOT);
    if (!clientHeader.equals("x-forwarded-for") && !clientHeader.equals("forwarded")) {
      s.problem("client_header", "'" + clientHeader + "' (expected: x-forwarded-for or forwarded)");
    }
    TransportKind transport = TransportKind.AUTO;
    List<TransportKind> named = s.parsed("transport", TransportKind::parse);
    if (named.size() == 1) {
      transport = named.get(0);
    } else if (named.size() > 1) {
      s.problem("transport", "expected one transport");
    }
    return new ServerConfig(
        ListenerConfig.read(s.section("http", ListenerConfig.KEYS), "0.0.0.0", 8080),
        HttpsConfig.read(s),
        LimitsConfig.read(s),
        transport,
        s.parsed("hosts", HostNames::parse),
        s.parsed("trusted_proxies", Cidr::parse),
        clientHeader.equals("forwarded"));
  }
}
