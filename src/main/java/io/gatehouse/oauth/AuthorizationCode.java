package io.gatehouse.oauth;

import java.time.Instant;
import java.util.List;

/**
 * A stored authorization code (only its hash) and, once exchanged, what it was exchanged for.
 *
 * @param codeChallenge the PKCE S256 challenge (RFC 7636), or null for a confidential client without one
 */
public record AuthorizationCode(String codeHash, String clientId, String userId, String redirectUri, List<String> scopes,
    String codeChallenge, Instant createdAt, Instant expiresAt, Instant usedAt, String accessJti,
    Instant accessExpiresAt, String refreshFamily) {

  public AuthorizationCode {
    scopes = List.copyOf(scopes);
  }
}
