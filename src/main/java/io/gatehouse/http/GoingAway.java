package io.gatehouse.http;

/**
 * The word that a listener is shutting down, shared by its connections. Announced once, it is
 * read by every response written after it, and fired as a user event down each open connection's
 * channel pipeline, so that each ends the way its protocol allows: {@code Connection: close} after
 * the current response on HTTP/1.1 (RFC 9110 §9.6), GOAWAY on HTTP/2 (RFC 9113 §6.8), a Close
 * with status 1001 on a WebSocket (RFC 6455 §7.4.1). Thread-safe.
 */
public final class GoingAway {

  private volatile boolean announced;

  /** From now on, every connection of the listener ends after what it is doing. */
  public void announce() {
    announced = true;
  }

  public boolean announced() {
    return announced;
  }

  @Override
  public String toString() {
    return "going away";
  }
}
