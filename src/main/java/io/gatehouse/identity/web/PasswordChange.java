package io.gatehouse.identity.web;

import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.identity.Accounts;
import io.gatehouse.identity.InvalidFieldException;
import io.gatehouse.identity.LoginThrottle;
import io.gatehouse.identity.Session;
import io.gatehouse.identity.Sessions;
import io.gatehouse.identity.User;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A signed-in user changing their password, for {@code POST /auth/password} (JSON) and the account
 * page's form alike. It needs a sign-in within {@link Session#FRESH_SIGN_IN} (a password change
 * lowers nothing by itself, but it locks the owner out: whoever holds a stolen session must not
 * make it theirs) and the current password, whose wrong guesses are slowed down by the
 * {@link LoginThrottle} exactly like failed logins (per account and per address), since a stolen
 * session must not become a way to guess the password. On success every other session of the
 * user ends, and so do the user's refresh tokens and earlier access tokens
 * ({@link Sessions#accountChanged}), first before the new password is stored, so that a failure
 * answers 503 with nothing changed. Audited as {@code password.change}. Thread-safe.
 */
public final class PasswordChange {

  static final String EVENT = "password.change";
  /** A session older than {@link Session#FRESH_SIGN_IN}: the user signs in again first. */
  public static final Problem SIGN_IN_FIRST = FreshSignIn.REQUIRED.withDetail(
      "Sign in again to change your password.");

  private final Accounts accounts;
  private final Sessions sessions;
  private final AccountAudit audit;
  private final LoginThrottle throttle;
  private final FreshSignIn fresh;

  public PasswordChange(Accounts accounts, Sessions sessions, AccountAudit audit, LoginThrottle throttle, Clock clock) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.audit = audit;
    this.throttle = throttle;
    this.fresh = new FreshSignIn(audit, clock);
  }

  /**
   * Changes {@code session}'s user's password from {@code current} to {@code next}. Fails with a
   * {@link ProblemException} ({@link #SIGN_IN_FIRST}, or 429 with {@code Retry-After} while the
   * throttle holds the caller back) or an {@link InvalidFieldException} ({@code current_password}
   * wrong, {@code new_password} refused by the policy), with nothing changed.
   *
   * @return how many other sessions ended
   */
  public Future<Integer> change(Request request, Sessions.Active session, String current, String next) {
    User user = session.user();
    if (fresh.stale(request, EVENT, session)) {
      return Future.failedFuture(new ProblemException(SIGN_IN_FIRST));
    }
    return throttle.admitPasswordChange(user.username(), request.clientAddress()).compose(admission -> {
      if (!admission.admitted()) {
        audit.refused(request, "password.throttled", user.id(),
            "scope=" + admission.scope() + " retry_after=" + admission.waitSeconds());
        return Future.failedFuture(new ProblemException(Problem.TOO_MANY_REQUESTS.withDetail(
            "Too many wrong passwords; try again after the time in Retry-After."), admission.waitSeconds()));
      }
      // The other sessions and the user's tokens end before the new password is stored (a store
      // that fails then changes nothing), and again after it: a sign-in with the old password may
      // have started a session in between.
      AtomicInteger endedFirst = new AtomicInteger();
      return accounts.changePassword(user, current, next,
              () -> sessions.accountChanged(user.id(), session.token()).onSuccess(endedFirst::set))
          .transform(changed -> {
            if (changed.failed() && !(changed.cause() instanceof InvalidFieldException)) {
              return Future.<Void>failedFuture(changed.cause()); // nothing stored: a store did not answer
            }
            boolean currentWasRight = changed.succeeded()
                || changed.cause() instanceof InvalidFieldException invalid
                    && !invalid.field().equals("current_password");
            Future<Void> counted = currentWasRight ? throttle.succeeded(user.username(), request.clientAddress())
                : Future.succeededFuture();
            if (changed.failed()) {
              audit.failure(request, EVENT, user.id(), currentWasRight ? "rejected" : "wrong_password");
              return counted.compose(v -> Future.<Void>failedFuture(changed.cause()));
            }
            return counted;
          })
          .compose(changed -> sessions.accountChanged(user.id(), session.token()))
          .map(endedAfter -> {
            int ended = endedFirst.get() + endedAfter;
            audit.success(request, EVENT, user.id(), "other_sessions_ended=" + ended);
            return ended;
          });
    });
  }
}
