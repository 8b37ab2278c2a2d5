package io.gatehouse.config;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The management listener ({@code management}): health, metrics and the admin API, on 127.0.0.1:9090
 * by default.
 *
 * @param tls serve it over TLS with the HTTPS listener's certificate and {@code client_ca}
 * @param adminCertificates client certificates that may call the admin API without a token (an
 *     explicit allow-list; empty: none may)
 */
public record ManagementConfig(ListenerConfig listener, boolean tls, MtlsConfig adminCertificates) {

  private static final Set<String> KEYS = Stream.concat(ListenerConfig.KEYS.stream(), Stream.of("tls", "admin_certificates"))
      .collect(Collectors.toUnmodifiableSet());

  /** Whether a client certificate on the allow-list may call the admin API. */
  public boolean admitsCertificates() {
    return !adminCertificates.subjects().isEmpty() || !adminCertificates.sans().isEmpty();
  }

  static ManagementConfig read(Section root, HttpsConfig https) {
    Section s = root.section("management", KEYS);
    boolean tls = s.bool("tls", false);
    Section certs = s.section("admin_certificates", Set.of("subjects", "sans"));
    MtlsConfig admin = new MtlsConfig(certs.strings("subjects", List.of()), certs.strings("sans", List.of()));
    boolean admits = !admin.subjects().isEmpty() || !admin.sans().isEmpty();
    if (tls && !https.enabled()) {
      s.problem("tls", "needs server.https (its certificate is used)");
    }
    if (admits && (!tls || https.clientCa() == null)) {
      s.problem("admin_certificates", "needs management.tls: true and server.https.client_ca");
    }
    return new ManagementConfig(ListenerConfig.read(s, "127.0.0.1", 9090), tls, admin);
  }
}
