package io.gatehouse.identity.web;

import io.gatehouse.http.Principal;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.gatehouse.identity.Callers;
import io.gatehouse.identity.SessionCookies;
import io.gatehouse.identity.Sessions;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;

/**
 * {@code POST /auth/logout}, guarded by {@code auth: [session]}: ends the caller's session at
 * once, durably, with the refresh and access tokens issued with it, and clears the cookie.
 * {@code POST /auth/logout?everywhere=true} ends every session of the user and every token issued
 * to it ({@link Sessions#accountChanged}). 204; a form post from a page gets a 303 to the login
 * page.
 */
public final class LogoutHandler implements Endpoint.Handler {

  private final Sessions sessions;
  private final SessionCookies cookies;
  private final AccountAudit audit;

  public LogoutHandler(Sessions sessions, SessionCookies cookies, AccountAudit audit) {
    this.sessions = sessions;
    this.cookies = cookies;
    this.audit = audit;
  }

  @Override
  public Future<Response> handle(Request request) {
    Principal caller = request.principal();
    boolean everywhere = "true".equals(request.queryParam("everywhere"));
    Future<?> ended = everywhere ? sessions.accountChanged(Callers.user(caller).id(), null)
        : sessions.end(Callers.session(caller).token());
    return ended.map(done -> {
      audit.success(request, "logout", Callers.user(caller).id(), everywhere ? "everywhere" : null);
      Response.Builder response = request.isForm()
          ? Response.status(303).header(HttpHeaderNames.LOCATION, "/auth/login")
          : Response.status(204);
      response.header(HttpHeaderNames.CACHE_CONTROL, "no-store");
      if (caller.viaCookie()) {
        response.cookie(cookies.clearSession(request.https()));
      }
      return response.build();
    });
  }
}
