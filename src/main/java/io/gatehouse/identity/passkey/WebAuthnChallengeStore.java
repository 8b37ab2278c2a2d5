package io.gatehouse.identity.passkey;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the pending ceremonies' challenges live (in SQL, or in Redis shared by the instances),
 * each under a key naming its ceremony. Writes are durable when their future completes.
 */
public interface WebAuthnChallengeStore {

  /** Stores {@code challenge} under {@code key}, replacing a challenge pending there. */
  Future<Void> put(String key, WebAuthnChallenge challenge);

  /**
   * Removes and returns the challenge under {@code key} in one atomic step, expired or not: of any
   * number of concurrent calls for one key, at most one gets it.
   */
  Future<Optional<WebAuthnChallenge>> take(String key);

  /** Removes the challenges expired by {@code now}; returns how many. */
  Future<Integer> deleteExpired(Instant now);
}
