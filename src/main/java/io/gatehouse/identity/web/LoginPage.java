package io.gatehouse.identity.web;

import io.gatehouse.http.HtmlTemplate;
import io.gatehouse.http.Response;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.cookie.Cookie;
import java.util.HashMap;
import java.util.Map;

/**
 * The HTML login page (Pebble, escaping every value by default), sent with a strict CSP: the one
 * inline style allowed by a per-response nonce, and the form may post only to this origin. No
 * script at all, unless passkeys are on: then the one inline script of the passkey button, by the
 * same nonce, which may fetch from this origin only. The template is compiled once at construction.
 */
public final class LoginPage {

  private final HtmlTemplate template = new HtmlTemplate("login.peb");
  private final boolean passkeys;

  /** The page without the passkey button. */
  public LoginPage() {
    this(false);
  }

  /** @param passkeys whether the page offers "Sign in with a passkey" */
  public LoginPage(boolean passkeys) {
    this.passkeys = passkeys;
  }

  /**
   * The page.
   *
   * @param csrfCookie the double-submit cookie to set with it, or null to keep the one the browser has
   * @param error a message for the user, or null
   * @param username the name to keep in the field after a failed attempt, or null
   */
  public Response page(int status, Cookie csrfCookie, String csrf, String returnTo, String error, String username) {
    String nonce = template.nonce();
    Map<String, Object> model = new HashMap<>();
    model.put("nonce", nonce);
    model.put("csrf", csrf);
    model.put("returnTo", returnTo);
    model.put("error", error);
    model.put("username", username == null ? "" : username);
    model.put("passkeys", passkeys);
    String script = passkeys ? "script-src 'nonce-" + nonce + "'; connect-src 'self'; " : "";
    Response.Builder response = Response.status(status)
        .header(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .header(HttpHeaderNames.CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'nonce-" + nonce + "'; "
            + script + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    if (csrfCookie != null) {
      response.cookie(csrfCookie);
    }
    return response.html(template.render(model)).build();
  }

  /**
   * {@code candidate} when it is a path on this origin, else {@code /}: an absolute path, not
   * {@code //host} or {@code /\host} (which browsers read as another origin), no control characters.
   */
  public static String safeReturnTo(String candidate) {
    if (candidate == null || candidate.isEmpty() || candidate.length() > 2048 || candidate.charAt(0) != '/') {
      return "/";
    }
    if (candidate.length() > 1 && (candidate.charAt(1) == '/' || candidate.charAt(1) == '\\')) {
      return "/";
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (c <= 0x20 || c == 0x7f || c == '\\' || c > 0x7e) {
        return "/";
      }
    }
    return candidate;
  }
}
