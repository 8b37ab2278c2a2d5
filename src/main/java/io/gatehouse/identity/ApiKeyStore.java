package io.gatehouse.identity;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where API keys live. Writes are durable when their future completes. */
public interface ApiKeyStore {

  Future<Void> insert(ApiKey key);

  Future<Optional<ApiKey>> byId(String id);

  /** Every key, revoked ones included, oldest first. */
  Future<List<ApiKey>> list();

  /** @return false when there is no such live key */
  Future<Boolean> revoke(String id, Instant at);

  Future<Void> touch(String id, Instant lastUsedAt);
}
