package io.gatehouse.oauth;

import java.time.Instant;
import java.util.List;

/**
 * A stored refresh token (only its hash) and the access token issued with it.
 *
 * @param expiresAt the family's absolute end: rotation never extends it
 * @param usedAt when it was exchanged (rotated), or null
 */
public record RefreshToken(String tokenHash, String familyId, String clientId, String userId, List<String> scopes,
    String accessJti, Instant accessExpiresAt, Instant createdAt, Instant expiresAt, Instant usedAt, Instant revokedAt) {

  public RefreshToken {
    scopes = List.copyOf(scopes);
  }
}
