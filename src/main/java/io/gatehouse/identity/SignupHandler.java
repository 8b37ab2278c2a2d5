package io.gatehouse.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.SignupConfig;
import io.gatehouse.http.JsonResponse;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.RequestBody;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * {@code POST /auth/signup} with JSON {@code {username, password, email?}}: 201 {@code {id, username}},
 * 409 for a taken name, 400 naming the bad field. With {@code signup.requires} the caller must
 * present an API key with scope {@code signup} (or role admin), or an admin credential.
 */
public final class SignupHandler implements Handler<RoutingContext> {

  private final Accounts accounts;
  private final CallerResolver callers;
  private final SignupConfig config;
  private final CsrfCheck csrf;
  private final AccountAudit audit;

  public SignupHandler(Accounts accounts, CallerResolver callers, SignupConfig config, CsrfCheck csrf, AccountAudit audit) {
    this.csrf = csrf;
    this.accounts = accounts;
    this.callers = callers;
    this.config = config;
    this.audit = audit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!RequestBody.isJson(ctx.request())) {
      ctx.fail(new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE));
      return;
    }
    admitted(ctx)
        .compose(ok -> RequestBody.read(ctx.request(), RequestBody.MAX_BYTES))
        .compose(body -> {
          ObjectNode json = RequestBody.jsonObject(body);
          return accounts.create(RequestBody.requiredString(json, "username"), RequestBody.requiredString(json, "password"),
              null, RequestBody.string(json, "email"), config.defaultRoles());
        })
        .onSuccess(user -> {
          audit.success(ctx, "signup", user.id(), null);
          JsonResponse.send(ctx, 201, new JsonObject().put("id", user.id()).put("username", user.username()));
        })
        .onFailure(failure -> {
          Throwable problem = AccountFailures.toProblem(failure);
          if (problem instanceof ProblemException p && p.problem().status() < 500) {
            audit.failure(ctx, "signup", null, p.problem().slug());
          }
          ctx.fail(problem);
        });
  }

  private Future<Void> admitted(RoutingContext ctx) {
    if (config.requires().equals("anyone")) {
      return Future.succeededFuture();
    }
    Future<Optional<Caller>> caller = config.requires().equals("api_key") ? callers.apiKey(ctx) : callers.any(ctx);
    return caller.compose(found -> {
      boolean ok = found.isPresent() && (found.get().hasRole("admin")
          || (config.requires().equals("api_key") && found.get().scopes().contains("signup")));
      if (ok && !csrf.allows(ctx, found.get(), null)) {
        return Future.failedFuture(new ProblemException(Problem.CSRF_REJECTED));
      }
      return ok ? Future.succeededFuture() : Future.failedFuture(new ProblemException(
          found.isPresent() ? Problem.FORBIDDEN : Problem.UNAUTHORIZED));
    });
  }
}
