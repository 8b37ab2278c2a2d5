package io.gatehouse.identity.passkey;

/**
 * A ceremony that admits no one: its challenge is unknown, spent, expired or another's; its
 * credential unknown or removed; its user disabled; or the response fails WebAuthn's checks.
 * Answered with one 401, whatever the reason; the reason is for the audit log only.
 */
public final class PasskeyRejected extends RuntimeException {

  private final String reason;
  private final String userId;

  /**
   * @param reason a short code for the audit log ({@code challenge_unknown}, {@code counter_regression}, …)
   * @param userId whose passkey it was, when known, else null
   */
  public PasskeyRejected(String reason, String userId) {
    super(reason, null, false, false);
    this.reason = reason;
    this.userId = userId;
  }

  public String reason() {
    return reason;
  }

  public String userId() {
    return userId;
  }
}
