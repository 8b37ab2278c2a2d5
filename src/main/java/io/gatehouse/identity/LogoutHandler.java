package io.gatehouse.identity;

import io.gatehouse.http.JsonResponse;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.RequestBody;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /auth/logout}: ends the caller's session (cookie or bearer) at once, durably, and
 * clears the cookie. 204; a form post from a page gets a 303 to the login page instead.
 */
public final class LogoutHandler implements Handler<RoutingContext> {

  private final CallerResolver callers;
  private final Sessions sessions;
  private final SessionCookies cookies;
  private final CsrfCheck csrf;
  private final AccountAudit audit;

  public LogoutHandler(CallerResolver callers, Sessions sessions, SessionCookies cookies, CsrfCheck csrf, AccountAudit audit) {
    this.callers = callers;
    this.sessions = sessions;
    this.cookies = cookies;
    this.csrf = csrf;
    this.audit = audit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    boolean form = RequestBody.isForm(ctx.request());
    Future<Buffer> body = RequestBody.read(ctx.request(), RequestBody.MAX_BYTES);
    body.compose(read -> callers.session(ctx).compose(found -> {
          if (found.isEmpty()) {
            return Future.failedFuture(new ProblemException(Problem.UNAUTHORIZED));
          }
          Caller caller = found.get();
          String formToken = form ? RequestBody.form(read).get("csrf_token") : null;
          if (!csrf.allows(ctx, caller, formToken)) {
            return Future.failedFuture(new ProblemException(Problem.CSRF_REJECTED));
          }
          return sessions.end(caller.session().token()).map(caller);
        }))
        .onFailure(ctx::fail)
        .onSuccess(caller -> {
          audit.success(ctx, "logout", caller.user().id(), null);
          if (caller.viaCookie()) {
            cookies.clearSession(ctx);
          }
          if (form) {
            ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, "/auth/login")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end();
          } else {
            JsonResponse.noContent(ctx);
          }
        });
  }
}
