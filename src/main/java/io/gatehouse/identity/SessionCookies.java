package io.gatehouse.identity;

import io.gatehouse.config.SessionsConfig;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;

/**
 * The browser cookies: the session cookie, the login form's CSRF cookie, a half-done sign-in's and
 * the passkey sign-in's handle. On HTTPS they carry the {@code __Host-} prefix and {@code Secure}
 * (bound to this host, path /, never sent in clear); always {@code HttpOnly} and {@code SameSite=Lax}. Thread-safe; the session cookie's name and
 * lifetime change whole on a reload ({@link #reconfigure}).
 */
public final class SessionCookies {

  private static final String HOST_PREFIX = "__Host-";
  private static final String LOGIN_CSRF = "gh_csrf";
  private static final String PASSKEY_CEREMONY = "gh_passkey";
  private static final String PENDING = "gh_mfa";

  private volatile SessionsConfig config;

  public SessionCookies(SessionsConfig config) {
    this.config = config;
  }

  /** Applies reloaded {@code sessions} settings to the cookies set and read from now on. */
  public void reconfigure(SessionsConfig reloaded) {
    this.config = reloaded;
  }

  /** The session cookie's name on a request's scheme. */
  public String sessionCookieName(boolean https) {
    return name(https, config.cookieName());
  }

  public String loginCsrfCookieName(boolean https) {
    return name(https, LOGIN_CSRF);
  }

  public Cookie session(boolean https, String token) {
    SessionsConfig now = config;
    return cookie(https, now.cookieName(), token, now.absoluteTimeout().toSeconds());
  }

  public Cookie clearSession(boolean https) {
    return cookie(https, config.cookieName(), "", 0);
  }

  /** The cookie of a half-done sign-in ({@link PendingSignIns}): as long as it lives. */
  public Cookie pendingSignIn(boolean https, String token) {
    return cookie(https, PENDING, token, PendingSignIns.LIFETIME.toSeconds());
  }

  public Cookie clearPendingSignIn(boolean https) {
    return cookie(https, PENDING, "", 0);
  }

  public String pendingSignInCookieName(boolean https) {
    return name(https, PENDING);
  }

  public Cookie loginCsrf(boolean https, String value) {
    return cookie(https, LOGIN_CSRF, value, 3600);
  }

  /** The cookie that binds a browser's passkey sign-in to its challenge: the handle, for {@code maxAge} seconds. */
  public Cookie passkeyCeremony(boolean https, String handle, long maxAge) {
    return cookie(https, PASSKEY_CEREMONY, handle, maxAge);
  }

  public String passkeyCeremonyCookieName(boolean https) {
    return name(https, PASSKEY_CEREMONY);
  }

  private static Cookie cookie(boolean https, String baseName, String value, long maxAge) {
    DefaultCookie cookie = new DefaultCookie(name(https, baseName), value);
    cookie.setPath("/");
    cookie.setHttpOnly(true);
    cookie.setSecure(https);
    cookie.setSameSite(CookieHeaderNames.SameSite.Lax);
    cookie.setMaxAge(maxAge);
    return cookie;
  }

  private static String name(boolean https, String baseName) {
    return https ? HOST_PREFIX + baseName : baseName;
  }
}
