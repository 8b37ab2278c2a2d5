package io.gatehouse.identity;

/** The name is held by another account. No stack trace: it is an answer, not a bug. */
public final class UsernameTakenException extends RuntimeException {

  public UsernameTakenException() {
    super("username taken", null, false, false);
  }
}
