package io.gatehouse.identity.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.RequestBody;
import io.gatehouse.http.Response;
import io.gatehouse.identity.Callers;
import io.vertx.core.Future;

/**
 * {@code POST /auth/password} with JSON {@code {current_password, new_password}}, guarded by
 * {@code auth: [session]}: a {@link PasswordChange} (a recent sign-in, the current password,
 * throttled guesses; every other session and the user's tokens end). 204; 401
 * {@code fresh-sign-in-required} for a sign-in older than five minutes.
 */
public final class PasswordHandler implements Endpoint.Handler {

  private final PasswordChange change;

  public PasswordHandler(PasswordChange change) {
    this.change = change;
  }

  @Override
  public Future<Response> handle(Request request) {
    if (!request.isJson()) {
      return Future.failedFuture(new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE));
    }
    ObjectNode json = RequestBody.jsonObject(request.body());
    String current = RequestBody.requiredString(json, "current_password");
    String next = RequestBody.requiredString(json, "new_password");
    return change.change(request, Callers.session(request.principal()), current, next)
        .map(ended -> Response.noContent());
  }
}
