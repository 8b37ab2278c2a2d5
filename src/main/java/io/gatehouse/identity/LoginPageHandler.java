package io.gatehouse.identity;

import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.vertx.core.Future;

/** {@code GET /auth/login}: the login page, with a fresh double-submit CSRF token in a cookie and in the form. */
public final class LoginPageHandler implements Endpoint.Handler {

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

  /** The page with a new CSRF token; {@code error} is shown to the user when not null. */
  Response renew(Request request, int status, String returnTo, String error) {
    String token = tokens.newToken();
    return page.page(status, cookies.loginCsrf(request.https(), token), token, returnTo, error, null);
  }
}
