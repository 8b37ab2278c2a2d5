package io.gatehouse.identity;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /auth/login}: the login page, with a fresh double-submit CSRF token in a cookie and in the form. */
public final class LoginPageHandler implements Handler<RoutingContext> {

  private final SessionCookies cookies;
  private final LoginPage page;
  private final SecretTokens tokens;

  public LoginPageHandler(SessionCookies cookies, LoginPage page, SecretTokens tokens) {
    this.cookies = cookies;
    this.page = page;
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.request().resume();
    renew(ctx, 200, LoginPage.safeReturnTo(ctx.request().getParam("return_to")), null);
  }

  /** Sends the page with a new CSRF token; {@code error} is shown to the user when not null. */
  void renew(RoutingContext ctx, int status, String returnTo, String error) {
    String token = tokens.newToken();
    cookies.setLoginCsrf(ctx, token);
    page.send(ctx, status, token, returnTo, error, null);
  }
}
