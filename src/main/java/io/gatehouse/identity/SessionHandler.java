package io.gatehouse.identity;

import io.gatehouse.http.JsonResponse;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /auth/session}: who the caller's session belongs to and when it ends; for a cookie
 * session also its CSRF token, which the page's scripts send back as {@code X-CSRF-Token}. 401 without a live session.
 */
public final class SessionHandler implements Handler<RoutingContext> {

  private final CallerResolver callers;
  private final Sessions sessions;

  public SessionHandler(CallerResolver callers, Sessions sessions) {
    this.callers = callers;
    this.sessions = sessions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.request().resume();
    callers.session(ctx).onFailure(ctx::fail).onSuccess(found -> {
      if (found.isEmpty()) {
        ctx.fail(new ProblemException(Problem.UNAUTHORIZED));
        return;
      }
      Caller caller = found.get();
      User user = caller.user();
      Session session = caller.session().session();
      JsonObject body = new JsonObject()
          .put("user", new JsonObject().put("id", user.id()).put("username", user.username()).put("email", user.email())
              .put("roles", new JsonArray(user.roles())))
          .put("created_at", session.createdAt().toString())
          .put("expires_at", session.endsAt(sessions.idleTimeout()).toString())
          .put("absolute_expires_at", session.expiresAt().toString());
      if (caller.viaCookie()) {
        body.put("csrf_token", Sessions.csrfToken(caller.session().token()));
      }
      JsonResponse.send(ctx, 200, body);
    });
  }
}
