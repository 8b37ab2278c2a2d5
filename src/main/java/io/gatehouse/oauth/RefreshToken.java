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
 */
public record RefreshToken(String tokenHash, String familyId, String clientId, String userId, List<String> scopes,
    String accessJti, Instant accessExpiresAt, Instant createdAt, Instant expiresAt, Instant usedAt, Instant revokedAt,
    String sid, List<String> audiences) {

  public RefreshToken {
    scopes = List.copyOf(scopes);
    audiences = List.copyOf(audiences);
  }
}
