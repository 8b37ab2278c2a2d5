package io.gatehouse.http;

/**
 * An answer that is a 303 redirect rather than a problem: thrown by a stage (the guard sending a
 * browser to the sign-in page) and answered by {@link Exchange#fail}. No stack trace.
 */
public final class Redirect extends RuntimeException {

  private final String location;

  /** @param location a path on this origin */
  public Redirect(String location) {
    super("redirect", null, false, false);
    this.location = location;
  }

  public String location() {
    return location;
  }
}
