package io.gatehouse.identity;

/** One input field breaks its rules; the message is written for the caller and names no internals. */
public final class InvalidFieldException extends RuntimeException {

  private final String field;

  public InvalidFieldException(String field, String reason) {
    super(reason, null, false, false);
    this.field = field;
  }

  public String field() {
    return field;
  }

  public String reason() {
    return getMessage();
  }
}
