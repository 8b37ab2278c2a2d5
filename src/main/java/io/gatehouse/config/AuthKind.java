package io.gatehouse.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A credential kind a route accepts ({@code routes[].auth}). Parsed once at load, so no request
 * ever compares strings to decide how it is guarded. The OAuth client kinds are built-in
 * endpoints' only: their credential is in the request body, which a proxied route streams on.
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
  API_KEY("api_key"),
  /**
   * An OAuth client authenticating itself (RFC 6749 §2.3): {@code client_secret_basic},
   * {@code client_secret_post} or {@code private_key_jwt} (RFC 7523). Built-in endpoints only.
   */
  OAUTH_CLIENT("oauth_client", false),
  /**
   * A public OAuth client naming itself with {@code client_id} (RFC 6749 §2.1), with nothing to
   * prove at this step. Built-in endpoints only.
   */
  OAUTH_PUBLIC_CLIENT("oauth_public_client", false);

  private final String configName;
  private final boolean configurable;

  AuthKind(String configName) {
    this(configName, true);
  }

  AuthKind(String configName, boolean configurable) {
    this.configName = configName;
    this.configurable = configurable;
  }

  public String configName() {
    return configName;
  }

  /** @throws IllegalArgumentException naming the kinds a configured route accepts */
  public static AuthKind parse(String text) {
    for (AuthKind kind : values()) {
      if (kind.configurable && kind.configName.equals(text)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("one of " + Arrays.stream(values()).filter(kind -> kind.configurable)
        .map(AuthKind::configName).sorted().collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return configName.toLowerCase(Locale.ROOT);
  }
}
