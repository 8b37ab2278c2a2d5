package io.gatehouse.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.guard.Principal;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.RequestBody;
import io.gatehouse.http.Response;
import io.vertx.core.Future;

/**
 * {@code POST /auth/password} with JSON {@code {current_password, new_password}}, guarded by
 * {@code auth: [session]}: needs the current password; on success every other session of the
 * user ends. 204.
 */
public final class PasswordHandler implements Endpoint.Handler {

  private final Accounts accounts;
  private final Sessions sessions;
  private final AccountAudit audit;

  public PasswordHandler(Accounts accounts, Sessions sessions, AccountAudit audit) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.audit = audit;
  }

  @Override
  public Future<Response> handle(Request request) {
    if (!request.isJson()) {
      return Future.failedFuture(new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE));
    }
    Principal caller = request.principal();
    ObjectNode json = RequestBody.jsonObject(request.body());
    String current = RequestBody.requiredString(json, "current_password");
    String next = RequestBody.requiredString(json, "new_password");
    return accounts.changePassword(caller.user(), current, next)
        .onFailure(e -> audit.failure(request, "password.change", caller.user().id(), "rejected"))
        .compose(changed -> sessions.endOthers(caller.user().id(), caller.session().token()))
        .map(ended -> {
          audit.success(request, "password.change", caller.user().id(), "other_sessions_ended=" + ended);
          return Response.noContent();
        })
        .recover(failure -> Future.failedFuture(AccountFailures.toProblem(failure)));
  }
}
