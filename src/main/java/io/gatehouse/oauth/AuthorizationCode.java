package io.gatehouse.oauth;

import java.time.Instant;
import java.util.List;

/**
 * A stored authorization code (only its hash) and, once exchanged, what it was exchanged for.
 *
 * @param codeChallenge the PKCE S256 challenge (RFC 7636), or null for a confidential client without one
 * @param signIn the OpenID Connect facts for an id token: the nonce, when and in which session the user signed in
 */
public record AuthorizationCode(String codeHash, String clientId, String userId, String redirectUri, List<String> scopes,
    String codeChallenge, Instant createdAt, Instant expiresAt, Instant usedAt, String accessJti,
    Instant accessExpiresAt, String refreshFamily, SignIn signIn) {

  /**
   * @param nonce the client's {@code nonce}, or null
   * @param authTime when the user signed in
   * @param sid the session's id (the SHA-256 of its token, never the token)
   */
  public record SignIn(String nonce, Instant authTime, String sid) {
  }

  public AuthorizationCode {
    scopes = List.copyOf(scopes);
  }
}
