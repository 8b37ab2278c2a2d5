package io.gatehouse.identity;

import io.vertx.core.Future;

/**
 * The tokens issued on an account's or a session's strength, which must end with it: the port
 * through which identity reaches them (the OAuth server implements it). Thread-safe.
 */
public interface IssuedTokens {

  /** Nothing is issued beside sessions. */
  IssuedTokens NONE = new IssuedTokens() {
    @Override
    public Future<Void> revokeUser(String userId) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> revokeSession(String sid) {
      return Future.succeededFuture();
    }
  };

  /**
   * Every refresh token of the user, and every access token of the user issued until now, stop
   * working, on every instance within a second. Durable when the future completes.
   */
  Future<Void> revokeUser(String userId);

  /**
   * The refresh tokens and access tokens issued with the session {@code sid} (the SHA-256 of its
   * token) stop working. Durable when the future completes.
   */
  Future<Void> revokeSession(String sid);
}
