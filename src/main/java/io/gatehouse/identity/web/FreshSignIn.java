package io.gatehouse.identity.web;

import io.gatehouse.http.Problem;
import io.gatehouse.http.Request;
import io.gatehouse.identity.Session;
import io.gatehouse.identity.Sessions;
import java.time.Clock;

/**
 * {@link Session#FRESH_SIGN_IN} at the endpoints: a change that whoever holds a stolen session could
 * use to keep or widen their hold (a new password, an authenticator or passkey bound or removed, new
 * recovery codes, a new API key) needs a sign-in that recent. Every refusal is audited alike, as
 * refused with {@code reason=stale_sign_in}. Thread-safe.
 */
public final class FreshSignIn {

  /** The answer to a change refused for a stale sign-in; each endpoint says which change in its detail. */
  public static final Problem REQUIRED = new Problem(401, "fresh-sign-in-required", "Unauthorized",
      "Sign in again to make this change.");

  private final AccountAudit audit;
  private final Clock clock;

  public FreshSignIn(AccountAudit audit, Clock clock) {
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * True, and audited as {@code event} refused, when {@code session}'s sign-in is older than
   * {@link Session#FRESH_SIGN_IN}: the caller is to sign in again first.
   */
  public boolean stale(Request request, String event, Sessions.Active session) {
    if (session.session().signedInRecently(clock.instant())) {
      return false;
    }
    audit.refused(request, event, session.user().id(), "reason=stale_sign_in");
    return true;
  }
}
