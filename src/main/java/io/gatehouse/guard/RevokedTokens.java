package io.gatehouse.guard;

/**
 * The port through which token revocation reaches verification: consulted on every token,
 * including those answered from the {@link VerifiedTokens} cache, so a revoked token never
 * survives there. A token is revoked by its {@code jti}, by the session it was issued with
 * ({@code sid}), or by a cut-off of its subject later than its {@code iat}. Gatehouse's own
 * revocation list is {@code oauth.TokenRevocations}. Thread-safe and non-blocking:
 * implementations answer from memory.
 */
@FunctionalInterface
public interface RevokedTokens {

  /** Nothing is revoked: the state until a revocation list is plugged in. */
  RevokedTokens NONE = (issuer, token) -> false;

  /** @param issuer the token's {@code iss}; only Gatehouse's own tokens are on its list */
  boolean isRevoked(String issuer, VerifiedToken token);
}
