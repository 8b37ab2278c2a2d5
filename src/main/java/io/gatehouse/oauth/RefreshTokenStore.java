package io.gatehouse.oauth;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage port of refresh tokens. */
public interface RefreshTokenStore {

  Future<Void> insert(RefreshToken token);

  Future<Optional<RefreshToken>> byHash(String tokenHash);

  /** Marks a token used if it is neither used nor revoked: false when another use came first. */
  Future<Boolean> markUsed(String tokenHash, Instant at);

  /** Revokes every token of the family; answers them all (for their access tokens). */
  Future<List<RefreshToken>> revokeFamily(String familyId, Instant at);

  /** Revokes every token of every family of the user; answers how many tokens it revoked. */
  Future<Integer> revokeForUser(String userId, Instant at);

  /** Revokes every token of every family issued with the session {@code sid}; answers how many. */
  Future<Integer> revokeForSession(String sid, Instant at);

  Future<Integer> deleteExpired(Instant now);
}
