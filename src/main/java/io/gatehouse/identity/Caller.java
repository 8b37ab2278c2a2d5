package io.gatehouse.identity;

import java.util.List;

/**
 * Who is calling, as a credential established it: a user's session (cookie or bearer), or an
 * API key of a user or a service.
 *
 * @param user the user, or null for a service key
 * @param apiKey the key presented, or null for a session
 * @param session the session, or null for an API key
 * @param viaCookie true when a session cookie (not a bearer token) carried the credential, so
 *     state-changing requests need CSRF protection
 * @param carrier where the credential was found: a header name ({@code Authorization},
 *     {@code X-Api-Key}) or {@code cookie:<name>}; it is removed before the request goes upstream
 */
public record Caller(User user, ApiKey apiKey, Sessions.Active session, boolean viaCookie, String carrier) {

  /** The id upstreams see: the user's id, or {@code service:<name>} for a service key. */
  public String subject() {
    return user != null ? user.id() : "service:" + apiKey.service();
  }

  /** A key carries the roles it was created with, never more; a session carries its user's. */
  public List<String> roles() {
    return apiKey != null ? apiKey.roles() : user.roles();
  }

  public List<String> scopes() {
    return apiKey == null ? List.of() : apiKey.scopes();
  }

  /** {@code apikey:<id>} for a key, null for a session. */
  public String client() {
    return apiKey == null ? null : "apikey:" + apiKey.id();
  }

  public boolean hasRole(String role) {
    return roles().contains(role);
  }
}
