package io.gatehouse.identity.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.http.Principal;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.RequestBody;
import io.gatehouse.http.Response;
import io.gatehouse.identity.Accounts;
import io.gatehouse.identity.Callers;
import io.gatehouse.identity.InvalidFieldException;
import io.gatehouse.identity.LoginThrottle;
import io.gatehouse.identity.Sessions;
import io.gatehouse.identity.User;
import io.vertx.core.Future;

/**
 * {@code POST /auth/password} with JSON {@code {current_password, new_password}}, guarded by
 * {@code auth: [session]}: needs the current password, whose wrong guesses are slowed down by the
 * {@link LoginThrottle} exactly like failed logins (per account and per address; 429 with
 * {@code Retry-After} while held back), since a stolen session must not become a way to guess
 * the password. On success every other session of the user ends, and so do the user's refresh
 * tokens and earlier access tokens ({@link Sessions#accountChanged}). 204.
 */
public final class PasswordHandler implements Endpoint.Handler {

  private final Accounts accounts;
  private final Sessions sessions;
  private final AccountAudit audit;
  private final LoginThrottle throttle;

  public PasswordHandler(Accounts accounts, Sessions sessions, AccountAudit audit, LoginThrottle throttle) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.audit = audit;
    this.throttle = throttle;
  }

  @Override
  public Future<Response> handle(Request request) {
    if (!request.isJson()) {
      return Future.failedFuture(new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE));
    }
    Principal caller = request.principal();
    User user = Callers.user(caller);
    ObjectNode json = RequestBody.jsonObject(request.body());
    String current = RequestBody.requiredString(json, "current_password");
    String next = RequestBody.requiredString(json, "new_password");
    return throttle.admitPasswordChange(user.username(), request.clientAddress()).compose(admission -> {
      if (!admission.admitted()) {
        audit.refused(request, "password.throttled", user.id(),
            "scope=" + admission.scope() + " retry_after=" + admission.waitSeconds());
        return Future.failedFuture(new ProblemException(Problem.TOO_MANY_REQUESTS.withDetail(
            "Too many wrong passwords; try again after the time in Retry-After."), admission.waitSeconds()));
      }
      return accounts.changePassword(user, current, next)
          .transform(changed -> {
            boolean currentWasRight = changed.succeeded()
                || changed.cause() instanceof InvalidFieldException invalid
                    && !invalid.field().equals("current_password");
            Future<Void> counted = currentWasRight ? throttle.succeeded(user.username(), request.clientAddress())
                : Future.succeededFuture();
            if (changed.failed()) {
              audit.failure(request, "password.change", user.id(), currentWasRight ? "rejected" : "wrong_password");
              return counted.compose(v -> Future.<Void>failedFuture(changed.cause()));
            }
            return counted;
          })
          .compose(changed -> sessions.accountChanged(user.id(), Callers.session(caller).token()))
          .map(ended -> {
            audit.success(request, "password.change", user.id(), "other_sessions_ended=" + ended);
            return Response.noContent();
          });
    });
  }
}
