package io.gatehouse.oauth;

/**
 * A grant that is not valid (RFC 6749 §5.2 {@code invalid_grant}): an unknown, expired, used or
 * revoked code or refresh token, a mismatched client, redirect URI or PKCE verifier. The reason is
 * for diagnostics only; the client is told nothing more. No stack trace.
 */
public final class InvalidGrant extends RuntimeException {

  public InvalidGrant(String reason) {
    super(reason, null, false, false);
  }
}
