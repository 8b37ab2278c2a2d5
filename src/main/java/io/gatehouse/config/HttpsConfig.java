package io.gatehouse.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The HTTPS listener, {@code server.https}. Without {@code cert} and {@code key} a self-signed
 * certificate is generated once into the data directory. With {@code client_ca}, clients may
 * present a certificate; a verified one becomes the connection's identity for {@code auth: [mtls]}.
 *
 * @param hstsMaxAge the {@code Strict-Transport-Security} max-age sent on HTTPS responses (default 365d; 0s sends none)
 */
public record HttpsConfig(boolean enabled, String host, int port, Path cert, Path key, Path clientCa, Duration hstsMaxAge) {

  static HttpsConfig read(Section parent) {
    Section s = parent.section("https", Set.of("enabled", "host", "port", "cert", "key", "client_ca", "hsts_max_age"));
    Path cert = path(s, "cert");
    Path key = path(s, "key");
    if ((cert == null) != (key == null)) {
      s.problem(cert == null ? "cert" : "key", "cert and key must be given together");
    }
    return new HttpsConfig(s.bool("enabled", true), s.string("host", "0.0.0.0"), s.port("port", 8443),
        cert, key, path(s, "client_ca"), s.durationOrZero("hsts_max_age", Duration.ofDays(365)));
  }

  private static Path path(Section s, String key) {
    String text = s.string(key, null);
    return text == null || text.isBlank() ? null : Path.of(text);
  }
}
