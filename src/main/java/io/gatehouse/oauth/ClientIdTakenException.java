package io.gatehouse.oauth;

/** A client id that is already registered. */
public final class ClientIdTakenException extends RuntimeException {

  public ClientIdTakenException() {
    super("client id taken", null, false, false);
  }
}
