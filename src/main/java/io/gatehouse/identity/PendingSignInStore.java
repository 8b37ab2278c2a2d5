package io.gatehouse.identity;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/** Where half-done sign-ins wait for their second factor. Each step is one atomic statement. */
public interface PendingSignInStore {

  Future<Void> insert(PendingSignIn pending);

  /** The pending sign-in, if it has not expired by {@code now}. */
  Future<Optional<PendingSignIn>> find(String tokenHash, Instant now);

  /**
   * Counts one attempt against it if fewer than {@code max} were made and it is live; false
   * otherwise (the caller must start over from the password).
   */
  Future<Boolean> countAttempt(String tokenHash, int max, Instant now);

  /** Ends it if it is live ({@code DELETE … WHERE expires_at > now}): true for the one caller that did. */
  Future<Boolean> consume(String tokenHash, Instant now);

  Future<Integer> deleteExpired(Instant now);
}
