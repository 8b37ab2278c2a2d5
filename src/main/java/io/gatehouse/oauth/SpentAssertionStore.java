package io.gatehouse.oauth;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * Storage port of the {@code private_key_jwt} assertions already used (RFC 7523 §3, item 7), shared
 * by every instance and kept across restarts until each assertion would have expired.
 */
public interface SpentAssertionStore {

  /**
   * Records {@code id} as used, in one atomic step: true when this call was its first use, false
   * when it had been used before (a replay). Durable when the future completes.
   */
  Future<Boolean> spend(String id, Instant expiresAt);

  Future<Integer> deleteExpired(Instant now);
}
