package io.gatehouse.oauth;

import io.gatehouse.config.AuthLevel;
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
   * @param amr how the user signed in (RFC 8176), for the tokens' {@code amr} and {@code acr}; empty
   *     when not recorded
   */
  public record SignIn(String nonce, Instant authTime, String sid, List<String> amr) {

    public SignIn {
      amr = amr == null ? List.of() : List.copyOf(amr);
    }

    /** A sign-in whose methods were not recorded. */
    public SignIn(String nonce, Instant authTime, String sid) {
      this(nonce, authTime, sid, List.of());
    }

    /** The {@code acr} the sign-in proves, or null when its methods were not recorded. */
    public String acr() {
      AuthLevel level = AuthLevel.of(amr);
      return level == null ? null : level.acr();
    }
  }

  public AuthorizationCode {
    scopes = List.copyOf(scopes);
  }
}
