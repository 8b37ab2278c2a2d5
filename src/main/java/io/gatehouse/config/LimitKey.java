package io.gatehouse.config;

import java.util.Locale;

/**
 * What a rate limit counts by ({@code key} of a {@code rate_limit}). Keys known before the guard
 * runs ({@code ip}, {@code route}, a header) are counted in the pipeline's ip-limit slot, so a
 * flood is refused before any credential is checked; the caller's identity ({@code subject},
 * {@code client}, {@code api_key}) is known only after it, in the subject-limit slot. A request
 * without the identity its limit counts by (an anonymous caller on an open route, a session
 * without a client) is counted by its address instead.
 */
public enum LimitKey {
  /** The client address (behind {@code server.trusted_proxies}); IPv6 by its /64 network. */
  IP(false),
  /** Everyone on the route together. */
  ROUTE(false),
  /** The value of a request header, such as a tenant id ({@code header:X-Tenant}). */
  HEADER(false),
  /** The admitted caller's subject. */
  SUBJECT(true),
  /** The OAuth client (or API key) the caller came through. */
  CLIENT(true),
  /** The API key the caller presented. */
  API_KEY(true);

  private final boolean afterGuard;

  LimitKey(boolean afterGuard) {
    this.afterGuard = afterGuard;
  }

  /** True when the key is the caller's identity, so it is counted after the guard. */
  public boolean afterGuard() {
    return afterGuard;
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
