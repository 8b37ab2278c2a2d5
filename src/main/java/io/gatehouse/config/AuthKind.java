package io.gatehouse.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A credential kind a route accepts ({@code routes[].auth}). Parsed once at load, so no request
 * ever compares strings to decide how it is guarded.
 */
public enum AuthKind {
  /** A signed JWT access token: Gatehouse's own ({@code jwt}) or an external issuer's ({@code jwt:<name>}). */
  JWT("jwt"),
  /** The route is open: no credential needed. */
  NONE("none"),
  /** A client certificate verified against {@code server.https.client_ca}. */
  MTLS("mtls"),
  /** A session: {@code Authorization: Bearer <session token>} or the session cookie. */
  SESSION("session"),
  /** An API key: {@code Authorization: ApiKey <key>}, {@code X-Api-Key} or {@code Authorization: Bearer gh_…}. */
  API_KEY("api_key");

  private final String configName;

  AuthKind(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** @throws IllegalArgumentException naming the accepted kinds */
  public static AuthKind parse(String text) {
    for (AuthKind kind : values()) {
      if (kind.configName.equals(text)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("one of " + Arrays.stream(values()).map(AuthKind::configName).sorted()
        .collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return configName.toLowerCase(Locale.ROOT);
  }
}
