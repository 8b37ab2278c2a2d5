package io.gatehouse.oauth;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage port of refresh tokens, kept in families: a family is revoked as a whole, and a token of
 * a revoked family is never used again, even one stored while the revocation was under way. A
 * rotation stores its new token, then learns whether the family was revoked meanwhile ({@link
 * #insert}); a revocation marks the family, then reads its tokens ({@link #revokeFamily}): whichever
 * comes second sees the other, so no interleaving leaves a live token.
 */
public interface RefreshTokenStore {

  /**
   * Stores {@code token} in its family; false when the family is revoked, and the token with it
   * (never usable; the caller revokes the access token issued with it).
   */
  Future<Boolean> insert(RefreshToken token);

  Future<Optional<RefreshToken>> byHash(String tokenHash);

  /** Marks a token used if it is neither used nor revoked, nor of a revoked family: false otherwise. */
  Future<Boolean> markUsed(String tokenHash, Instant at);

  /** Whether the family is revoked. */
  Future<Boolean> isFamilyRevoked(String familyId);

  /** Revokes the family, then answers all its tokens (for their access tokens). */
  Future<List<RefreshToken>> revokeFamily(String familyId, Instant at);

  /** Revokes every family of the user, then answers their tokens. */
  Future<List<RefreshToken>> revokeForUser(String userId, Instant at);

  /** Revokes every family issued with the session {@code sid}, then answers their tokens. */
  Future<List<RefreshToken>> revokeForSession(String sid, Instant at);

  /** Revokes every family of the user issued to {@code clientId}, then answers their tokens. */
  Future<List<RefreshToken>> revokeForClient(String userId, String clientId, Instant at);

  Future<Integer> deleteExpired(Instant now);
}
