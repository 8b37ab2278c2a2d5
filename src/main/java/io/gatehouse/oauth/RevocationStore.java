package io.gatehouse.oauth;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Map;

/**
 * Storage port of the revocation list: revoked token ids and when the tokens would have expired,
 * and per-subject cut-offs ("not before" times) with when the last token they refuse would have
 * expired.
 */
public interface RevocationStore {

  /** Durable when the future completes; revoking twice is not an error. */
  Future<Void> insert(String jti, Instant expiresAt);

  /** The entries whose tokens have not expired at {@code now}. */
  Future<Map<String, Instant>> live(Instant now);

  /**
   * Refuses every token of {@code subject} issued before {@code notBefore} (a whole second), until
   * {@code expiresAt}, in one atomic step. When the subject's cut-off in force is not earlier, it
   * moves one second on instead: tokens minted after that one were dated at its second, and this
   * later change must refuse them too. Durable when the future completes.
   *
   * @return the cut-off now in force
   */
  Future<Instant> cutOff(String subject, Instant notBefore, Instant expiresAt);

  /** The cut-offs still in force at {@code now}, by subject. */
  Future<Map<String, Instant>> cutOffs(Instant now);

  /** Removes entries and cut-offs that no longer refuse a live token. */
  Future<Integer> deleteExpired(Instant now);
}
