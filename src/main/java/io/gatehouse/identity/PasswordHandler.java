package io.gatehouse.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.http.JsonResponse;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.RequestBody;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /auth/password} with JSON {@code {current_password, new_password}}: needs a live
 * session and the current password; on success every other session of the user ends. 204.
 */
public final class PasswordHandler implements Handler<RoutingContext> {

  private final CallerResolver callers;
  private final Accounts accounts;
  private final Sessions sessions;
  private final CsrfCheck csrf;
  private final AccountAudit audit;

  public PasswordHandler(CallerResolver callers, Accounts accounts, Sessions sessions, CsrfCheck csrf, AccountAudit audit) {
    this.callers = callers;
    this.accounts = accounts;
    this.sessions = sessions;
    this.csrf = csrf;
    this.audit = audit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!RequestBody.isJson(ctx.request())) {
      ctx.fail(new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE));
      return;
    }
    RequestBody.read(ctx.request(), RequestBody.MAX_BYTES)
        .compose(body -> callers.session(ctx).compose(found -> {
          if (found.isEmpty()) {
            return Future.failedFuture(new ProblemException(Problem.UNAUTHORIZED));
          }
          Caller caller = found.get();
          if (!csrf.allows(ctx, caller, null)) {
            return Future.failedFuture(new ProblemException(Problem.CSRF_REJECTED));
          }
          ObjectNode json = RequestBody.jsonObject(body);
          String current = RequestBody.requiredString(json, "current_password");
          String next = RequestBody.requiredString(json, "new_password");
          return accounts.changePassword(caller.user(), current, next)
              .onFailure(e -> audit.failure(ctx, "password.change", caller.user().id(), "rejected"))
              .compose(changed -> sessions.endOthers(caller.user().id(), caller.session().token()))
              .map(ended -> {
                audit.success(ctx, "password.change", caller.user().id(), "other_sessions_ended=" + ended);
                return (Void) null;
              });
        }))
        .onSuccess(done -> JsonResponse.noContent(ctx))
        .onFailure(failure -> ctx.fail(AccountFailures.toProblem(failure)));
  }
}
