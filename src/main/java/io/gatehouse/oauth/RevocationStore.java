package io.gatehouse.oauth;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Map;

/** Storage port of the revocation list: revoked token ids and when the tokens would have expired. */
public interface RevocationStore {

  /** Durable when the future completes; revoking twice is not an error. */
  Future<Void> insert(String jti, Instant expiresAt);

  /** The entries whose tokens have not expired at {@code now}. */
  Future<Map<String, Instant>> live(Instant now);

  Future<Integer> deleteExpired(Instant now);
}
