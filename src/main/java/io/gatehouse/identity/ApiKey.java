package io.gatehouse.identity;

import java.time.Instant;
import java.util.List;

/**
 * A long-lived credential for a user or a service, presented as {@code gh_<id>_<secret>}; the
 * store keeps the id and the SHA-256 of the secret.
 *
 * @param userId the owning user, or null for a service key
 * @param service the owning service's name, or null for a user key
 * @param expiresAt null for no expiry
 * @param lastUsedAt coarse: updated at most once an hour
 * @param revokedAt null while the key is live
 */
public record ApiKey(String id, String secretHash, String userId, String service, List<String> roles,
    List<String> scopes, Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {

  public ApiKey {
    roles = List.copyOf(roles);
    scopes = List.copyOf(scopes);
  }

  public boolean usableAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }
}
