package io.gatehouse.identity;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where API keys live. Writes are durable when their future completes. */
public interface ApiKeyStore {

  Future<Void> insert(ApiKey key);

  /**
   * Inserts a user's {@code key} unless the user has {@code maxLive} live keys (neither revoked nor
   * expired at {@code key.createdAt()}) already, counted under a lock on the user so that keys made
   * at once cannot pass the cap together.
   *
   * @return false when the user has {@code maxLive} live keys (nothing inserted)
   */
  Future<Boolean> insertCapped(ApiKey key, int maxLive);

  Future<Optional<ApiKey>> byId(String id);

  /** Every key, revoked ones included, oldest first. */
  Future<List<ApiKey>> list();

  /** The keys of user {@code userId}, revoked and expired ones included, newest first. */
  Future<List<ApiKey>> forUser(String userId);

  /** @return false when there is no such live key */
  Future<Boolean> revoke(String id, Instant at);

  /**
   * Revokes key {@code id} only if it is a live key of {@code userId}, in one conditional statement
   * (never read, then written: a key that changes hands or is revoked meanwhile is not touched).
   *
   * @return false when there is no such key, it is not the user's, or it was already revoked
   */
  Future<Boolean> revokeOwned(String id, String userId, Instant at);

  Future<Void> touch(String id, Instant lastUsedAt);
}
