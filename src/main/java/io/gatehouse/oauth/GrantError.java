package io.gatehouse.oauth;

import com.nimbusds.oauth2.sdk.ErrorObject;

/**
 * A grant request refused with an RFC 6749 §5.2 error other than {@code invalid_grant} (which
 * {@link InvalidGrant} stands for): {@code invalid_scope} for a scope beyond the grant,
 * {@code invalid_target} (RFC 8707) for a resource beyond it. The token endpoint answers the
 * error as it is. No stack trace.
 */
public final class GrantError extends RuntimeException {

  private final transient ErrorObject error;

  GrantError(ErrorObject error) {
    super(error.getCode(), null, false, false);
    this.error = error;
  }

  ErrorObject error() {
    return error;
  }
}
