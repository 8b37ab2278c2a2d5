package io.gatehouse.identity.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.SignupConfig;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Json;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.RequestBody;
import io.gatehouse.http.Response;
import io.gatehouse.identity.AccountServices;
import io.gatehouse.identity.Accounts;
import io.gatehouse.identity.User;
import io.vertx.core.Future;

/**
 * {@code POST /auth/signup} with JSON {@code {username, password, email?}}: 201 {@code {id, username}},
 * 409 for a taken name, 400 naming the bad field. Who may call it ({@code signup.requires}) is
 * the guard's business: see {@link AccountServices#endpoints}.
 */
public final class SignupHandler implements Endpoint.Handler {

  private final Accounts accounts;
  private final SignupConfig config;
  private final AccountAudit audit;

  public SignupHandler(Accounts accounts, SignupConfig config, AccountAudit audit) {
    this.accounts = accounts;
    this.config = config;
    this.audit = audit;
  }

  @Override
  public Future<Response> handle(Request request) {
    if (!request.isJson()) {
      return Future.failedFuture(new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE));
    }
    Future<User> created;
    try {
      ObjectNode json = RequestBody.jsonObject(request.body());
      created = accounts.create(RequestBody.requiredString(json, "username"), RequestBody.requiredString(json, "password"),
          null, RequestBody.string(json, "email"), config.defaultRoles());
    } catch (ProblemException e) {
      created = Future.failedFuture(e);
    }
    return created
        .map(user -> {
          audit.success(request, "signup", user.id(), null);
          return Response.json(201, Json.object().put("id", user.id()).put("username", user.username()));
        })
        .onFailure(failure -> {
          // The root's mappers answer the failure; the audit records the refusals a caller caused.
          ProblemException refused = failure instanceof ProblemException p ? p : AccountFailures.FAILURES.map(failure);
          if (refused != null && refused.problem().status() < 500) {
            audit.failure(request, "signup", null, refused.problem().slug());
          }
        });
  }
}
