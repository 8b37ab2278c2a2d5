package io.gatehouse.identity;

import io.gatehouse.config.SessionsConfig;
import io.gatehouse.http.Exchange;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * The browser cookies: the session cookie and the login form's CSRF cookie. On HTTPS they carry
 * the {@code __Host-} prefix and {@code Secure} (bound to this host, path /, never sent in clear);
 * always {@code HttpOnly} and {@code SameSite=Lax}.
 */
public final class SessionCookies {

  private static final String HOST_PREFIX = "__Host-";
  private static final String LOGIN_CSRF = "gh_csrf";

  private final String sessionName;
  private final long maxAgeSeconds;

  public SessionCookies(SessionsConfig config) {
    this.sessionName = config.cookieName();
    this.maxAgeSeconds = config.absoluteTimeout().toSeconds();
  }

  /** The session cookie's name on this request's scheme. */
  public String sessionCookieName(RoutingContext ctx) {
    return name(ctx, sessionName);
  }

  public String session(RoutingContext ctx) {
    return value(ctx, sessionName);
  }

  public void setSession(RoutingContext ctx, String token) {
    set(ctx, sessionName, token, maxAgeSeconds);
  }

  public void clearSession(RoutingContext ctx) {
    set(ctx, sessionName, "", 0);
  }

  /** The login form's double-submit CSRF value, or null. */
  public String loginCsrf(RoutingContext ctx) {
    return value(ctx, LOGIN_CSRF);
  }

  public void setLoginCsrf(RoutingContext ctx, String value) {
    set(ctx, LOGIN_CSRF, value, 3600);
  }

  private static String value(RoutingContext ctx, String baseName) {
    Cookie cookie = ctx.request().getCookie(name(ctx, baseName));
    return cookie == null ? null : cookie.getValue();
  }

  private static void set(RoutingContext ctx, String baseName, String value, long maxAge) {
    boolean https = Exchange.of(ctx).https();
    ctx.response().addCookie(Cookie.cookie(name(ctx, baseName), value)
        .setPath("/").setHttpOnly(true).setSecure(https).setSameSite(CookieSameSite.LAX).setMaxAge(maxAge));
  }

  private static String name(RoutingContext ctx, String baseName) {
    return Exchange.of(ctx).https() ? HOST_PREFIX + baseName : baseName;
  }
}
