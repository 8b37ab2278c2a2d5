package io.gatehouse.guard;

/**
 * An authenticator found a credential of its kind and refused it (a token that is expired, badly
 * signed, for another audience...). The reason is a fixed word for the audit log; it is never sent
 * to the caller and never contains the credential or anything read from it. No stack trace: it is
 * an answer, not a bug.
 */
public final class CredentialRejected extends RuntimeException {

  private final String reason;

  public CredentialRejected(String reason) {
    super(reason, null, false, false);
    this.reason = reason;
  }

  /** One of a fixed set of words, such as {@code expired}, {@code signature}, {@code audience}. */
  public String reason() {
    return reason;
  }
}
