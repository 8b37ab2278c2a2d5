package io.gatehouse.identity;

import io.gatehouse.http.Principal;

/**
 * Reads back what identity's authenticators keep in a {@link Principal}'s opaque account: the
 * user (sessions and user API keys) and the live session (session credentials).
 */
public final class Callers {

  private Callers() {
  }

  /** The account of a session or of a user's API key; null for any other caller. */
  public static User user(Principal caller) {
    Object account = caller.account();
    if (account instanceof Sessions.Active active) {
      return active.user();
    }
    return account instanceof User user ? user : null;
  }

  /** The live session of a session caller; null for any other. */
  public static Sessions.Active session(Principal caller) {
    return caller.account() instanceof Sessions.Active active ? active : null;
  }

  /** The CSRF token a session caller's changes must bring (none for other callers). */
  public static String csrfToken(Principal caller) {
    Sessions.Active session = session(caller);
    return session == null ? null : Sessions.csrfToken(session.token());
  }
}
