package io.gatehouse.identity.web;

import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemFormat;
import io.gatehouse.http.Request;
import io.gatehouse.http.RequestBody;
import io.gatehouse.http.Response;
import io.gatehouse.identity.SecretTokens;
import io.gatehouse.identity.SessionCookies;
import io.vertx.core.Future;

/**
 * {@code GET /auth/login}: the login page, with a fresh double-submit CSRF token in a cookie and in
 * the form. As the login endpoint's {@link ProblemFormat}, it answers a form the guard refused for
 * its CSRF proof with the page again and a new token, so a user whose form expired can sign in.
 */
public final class LoginPageHandler implements Endpoint.Handler, ProblemFormat {

  private final SessionCookies cookies;
  private final LoginPage page;
  private final SecretTokens tokens;

  public LoginPageHandler(SessionCookies cookies, LoginPage page, SecretTokens tokens) {
    this.cookies = cookies;
    this.page = page;
    this.tokens = tokens;
  }

  @Override
  public Future<Response> handle(Request request) {
    return Future.succeededFuture(renew(request, 200, LoginPage.safeReturnTo(request.queryParam("return_to")), null));
  }

  @Override
  public Response render(Problem problem, Request request) {
    if (!problem.slug().equals(Problem.CSRF_REJECTED.slug()) || !request.isForm()) {
      return null;
    }
    String returnTo = LoginPage.safeReturnTo(RequestBody.form(request.body()).get("return_to"));
    return renew(request, 403, returnTo, "Your sign-in form expired. Please try again.");
  }

  /** The page with a new CSRF token; {@code error} is shown to the user when not null. */
  Response renew(Request request, int status, String returnTo, String error) {
    String token = tokens.newToken();
    return page.page(status, cookies.loginCsrf(request.https(), token), token, returnTo, error, null);
  }
}
