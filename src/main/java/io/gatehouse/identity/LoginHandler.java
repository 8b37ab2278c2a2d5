package io.gatehouse.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.http.JsonResponse;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.RequestBody;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /auth/login}. JSON {@code {username, password}} answers 200 with a bearer session
 * token; the login page's form answers with the session cookie and a 303 to a same-origin
 * {@code return_to}. Every failure (wrong password, unknown or disabled user) gets one answer.
 */
public final class LoginHandler implements Handler<RoutingContext> {

  static final String FAILED = "The username or password is not correct.";

  private final Accounts accounts;
  private final Sessions sessions;
  private final SessionCookies cookies;
  private final CsrfCheck csrf;
  private final LoginPage page;
  private final LoginPageHandler pageHandler;
  private final AccountAudit audit;

  public LoginHandler(Accounts accounts, Sessions sessions, SessionCookies cookies, CsrfCheck csrf, LoginPage page,
      LoginPageHandler pageHandler, AccountAudit audit) {
    this.pageHandler = pageHandler;
    this.accounts = accounts;
    this.sessions = sessions;
    this.cookies = cookies;
    this.csrf = csrf;
    this.page = page;
    this.audit = audit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (RequestBody.isJson(ctx.request())) {
      json(ctx);
    } else if (RequestBody.isForm(ctx.request())) {
      form(ctx);
    } else {
      ctx.fail(new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE.withDetail(
          "The request body must be JSON or an HTML form.")));
    }
  }

  private void json(RoutingContext ctx) {
    RequestBody.read(ctx.request(), RequestBody.MAX_BYTES)
        .compose(body -> {
          ObjectNode json = RequestBody.jsonObject(body);
          String username = RequestBody.requiredString(json, "username");
          return login(ctx, username, RequestBody.requiredString(json, "password"));
        })
        .onSuccess(issued -> {
          if (issued.isEmpty()) {
            ctx.fail(new ProblemException(Problem.INVALID_CREDENTIALS));
            return;
          }
          JsonResponse.send(ctx, 200, new JsonObject()
              .put("session_token", issued.get().token())
              .put("token_type", "Bearer")
              .put("expires_in", sessions.idleTimeout().toSeconds()));
        })
        .onFailure(failure -> ctx.fail(AccountFailures.toProblem(failure)));
  }

  private void form(RoutingContext ctx) {
    RequestBody.read(ctx.request(), RequestBody.MAX_BYTES).onFailure(ctx::fail).onSuccess(body -> {
      Map<String, String> fields = RequestBody.form(body);
      String returnTo = LoginPage.safeReturnTo(fields.get("return_to"));
      String formToken = fields.get("csrf_token");
      String cookieToken = cookies.loginCsrf(ctx);
      // "Origin: null" is what a browser sends under Referrer-Policy: no-referrer (ours): no
      // information either way, so the double-submit token alone decides.
      String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
      boolean crossSite = origin != null && !origin.equals("null") && !csrf.isSameOrigin(ctx);
      if (crossSite || cookieToken == null || !SecretTokens.equal(cookieToken, formToken)) {
        // Login CSRF: a foreign page must not log the victim into the attacker's account.
        pageHandler.renew(ctx, 403, returnTo, "Your sign-in form expired. Please try again.");
        return;
      }
      String username = fields.get("username");
      login(ctx, username, fields.get("password"))
          .onSuccess(issued -> {
            if (issued.isEmpty()) {
              page.send(ctx, 401, cookieToken, returnTo, FAILED, username);
              return;
            }
            cookies.setSession(ctx, issued.get().token());
            ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, returnTo)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end();
          })
          .onFailure(failure -> ctx.fail(AccountFailures.toProblem(failure)));
    });
  }

  /** Checks the credentials and starts a session; empty (and audited) when they do not admit anyone. */
  private Future<Optional<Sessions.Issued>> login(RoutingContext ctx, String username, String password) {
    return accounts.authenticate(username, password).compose(attempt -> {
      User user = attempt.admitted();
      if (user == null) {
        audit.failure(ctx, "login", attempt.accountId(), "invalid_credentials");
        return Future.succeededFuture(Optional.<Sessions.Issued>empty());
      }
      return sessions.start(user).map(issued -> {
        audit.success(ctx, "login", user.id(), null);
        return Optional.of(issued);
      });
    });
  }
}
