package io.gatehouse.http;

import io.gatehouse.config.AuthKind;
import java.util.List;

/**
 * Who a request's credential proved the caller to be, whatever its kind: what upstreams see as
 * {@code X-Gatehouse-Subject}, {@code -Roles}, {@code -Scopes}, {@code -Client} and {@code -Auth},
 * and what built-in endpoints act for.
 *
 * @param subject a user's id, {@code service:<name>} for a service key, a certificate's subject DN, or
 *     an OAuth client's id
 * @param client {@code apikey:<id>} for an API key, a token's {@code client_id} (or {@code azp}), else null
 * @param kind the credential kind that admitted the request
 * @param viaCookie the credential came in the session cookie, so changes need CSRF protection
 * @param account what the capability that proved the caller keeps of it, opaque to every other
 *     (identity: the user, and the live session for a session credential; oauth: the client; each
 *     reads its own back); null for tokens and certificates
 * @param audience a token's {@code aud} values; empty for other credentials
 * @param acr how strongly the user signed in ({@link io.gatehouse.config.AuthLevel#acr}): a session's, or
 *     a token's {@code acr} claim; null when the credential records no sign-in (API keys, certificates,
 *     clients)
 */
public record Principal(String subject, List<String> roles, List<String> scopes, String client, AuthKind kind,
    boolean viaCookie, Object account, List<String> audience, String acr) {

  public Principal {
    roles = List.copyOf(roles);
    scopes = List.copyOf(scopes);
    audience = List.copyOf(audience);
  }

  /** A principal that records no sign-in. */
  public Principal(String subject, List<String> roles, List<String> scopes, String client, AuthKind kind,
      boolean viaCookie, Object account, List<String> audience) {
    this(subject, roles, scopes, client, kind, viaCookie, account, audience, null);
  }

  /** A principal proved by a credential other than a token (no audience). */
  public Principal(String subject, List<String> roles, List<String> scopes, String client, AuthKind kind,
      boolean viaCookie, Object account) {
    this(subject, roles, scopes, client, kind, viaCookie, account, List.of());
  }

  /** A principal proved by a token. */
  public static Principal ofToken(String subject, List<String> roles, List<String> scopes, String client,
      List<String> audience) {
    return ofToken(subject, roles, scopes, client, audience, null);
  }

  /** A principal proved by a token whose {@code acr} claim is {@code acr} (null: none). */
  public static Principal ofToken(String subject, List<String> roles, List<String> scopes, String client,
      List<String> audience, String acr) {
    return new Principal(subject, roles, scopes, client, AuthKind.JWT, false, null, audience, acr);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
