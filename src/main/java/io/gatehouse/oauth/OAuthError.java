package io.gatehouse.oauth;

import com.nimbusds.oauth2.sdk.ErrorObject;

/**
 * An OAuth request refused with an RFC 6749 §5.2 error (or one of RFC 7009, RFC 7523, RFC 8628
 * or RFC 8707) other than {@code invalid_grant}, which {@link InvalidGrant} stands for: a grant the
 * client may not use, a scope or resource beyond what it may have, a malformed message. Thrown by
 * the endpoints and the domain alike and mapped once ({@code oauth.web.OAuthErrors}). No stack trace.
 */
public final class OAuthError extends RuntimeException {

  private final transient ErrorObject error;
  private final transient String challenge;

  public OAuthError(ErrorObject error) {
    this(error, null);
  }

  /** @param challenge the {@code WWW-Authenticate} value of a 401, or null for none */
  public OAuthError(ErrorObject error, String challenge) {
    super(error.getCode(), null, false, false);
    this.error = error;
    this.challenge = challenge;
  }

  public ErrorObject error() {
    return error;
  }

  public String challenge() {
    return challenge;
  }
}
