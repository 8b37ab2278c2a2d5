package io.gatehouse.identity.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.http.Principal;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Json;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.gatehouse.identity.Callers;
import io.gatehouse.identity.Session;
import io.gatehouse.identity.Sessions;
import io.gatehouse.identity.User;
import io.vertx.core.Future;

/**
 * {@code GET /auth/session}, guarded by {@code auth: [session]}: who the caller's session belongs
 * to and when it ends; for a cookie session also its CSRF token, which the page's scripts send
 * back as {@code X-CSRF-Token}.
 */
public final class SessionHandler implements Endpoint.Handler {

  private final Sessions sessions;

  public SessionHandler(Sessions sessions) {
    this.sessions = sessions;
  }

  @Override
  public Future<Response> handle(Request request) {
    Principal caller = request.principal();
    User user = Callers.user(caller);
    Session session = Callers.session(caller).session();
    ObjectNode body = Json.object();
    ObjectNode who = body.putObject("user").put("id", user.id()).put("username", user.username()).put("email", user.email());
    user.roles().forEach(who.putArray("roles")::add);
    body.put("created_at", session.createdAt().toString())
        .put("expires_at", session.endsAt(sessions.idleTimeout()).toString())
        .put("absolute_expires_at", session.expiresAt().toString());
    if (caller.viaCookie()) {
      body.put("csrf_token", Sessions.csrfToken(Callers.session(caller).token()));
    }
    return Future.succeededFuture(Response.json(200, body));
  }
}
