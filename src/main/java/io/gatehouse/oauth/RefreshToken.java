package io.gatehouse.oauth;

import java.time.Instant;
import java.util.List;

/**
 * A stored refresh token (only its hash) and the access token issued with it.
 *
 * @param scopes the scopes originally granted: a refresh may narrow them, never widen them (RFC 6749 §6)
 * @param expiresAt the family's absolute end: rotation never extends it
 * @param usedAt when it was exchanged (rotated), or null
 * @param sid the session it was issued with (the SHA-256 of the session token), or null: a logout of
 *     that session revokes the family
 * @param audiences the resources (RFC 8707) its access tokens are for
 * @param amr how the user signed in for the grant the family came from (RFC 8176), which every token
 *     of the family carries on; empty when not recorded (a family started before it was)
 * @param authTime when the user signed in for that grant, or null when not recorded: the
 *     {@code auth_time} of the tokens a refresh issues stays the original authentication's (OpenID
 *     Connect Core §12.2)
 */
public record RefreshToken(String tokenHash, String familyId, String clientId, String userId, List<String> scopes,
    String accessJti, Instant accessExpiresAt, Instant createdAt, Instant expiresAt, Instant usedAt, Instant revokedAt,
    String sid, List<String> audiences, List<String> amr, Instant authTime) {

  public RefreshToken {
    scopes = List.copyOf(scopes);
    audiences = List.copyOf(audiences);
    amr = amr == null ? List.of() : List.copyOf(amr);
  }

  /** A token whose sign-in was not recorded. */
  public RefreshToken(String tokenHash, String familyId, String clientId, String userId, List<String> scopes,
      String accessJti, Instant accessExpiresAt, Instant createdAt, Instant expiresAt, Instant usedAt, Instant revokedAt,
      String sid, List<String> audiences) {
    this(tokenHash, familyId, clientId, userId, scopes, accessJti, accessExpiresAt, createdAt, expiresAt, usedAt,
        revokedAt, sid, audiences, List.of(), null);
  }
}
