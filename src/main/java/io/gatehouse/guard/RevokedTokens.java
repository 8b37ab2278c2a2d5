package io.gatehouse.guard;

/**
 * The port through which token revocation reaches verification: consulted on every token,
 * including those answered from the {@link VerifiedTokens} cache, so a revoked token never
 * survives there. Gatehouse's own revocation list is {@code oauth.TokenRevocations}. Thread-safe and
 * non-blocking: implementations answer from memory.
 */
@FunctionalInterface
public interface RevokedTokens {

  /** Nothing is revoked: the state until a revocation list is plugged in. */
  RevokedTokens NONE = (issuer, jti) -> false;

  /** @param jti the token's {@code jti}, or null when it has none */
  boolean isRevoked(String issuer, String jti);
}
