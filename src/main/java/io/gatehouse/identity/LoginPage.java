package io.gatehouse.identity;

import io.gatehouse.http.Response;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.cookie.Cookie;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The HTML login page (Pebble, escaping every value by default), sent with a strict CSP: no
 * script at all, the one inline style allowed by a per-response nonce, and the form may post only
 * to this origin. The template is compiled once at construction.
 */
public final class LoginPage {

  private final PebbleTemplate template;
  private final SecureRandom random = new SecureRandom();

  public LoginPage() {
    ClasspathLoader loader = new ClasspathLoader();
    loader.setPrefix("templates");
    PebbleEngine engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).strictVariables(false)
        .cacheActive(true).build();
    this.template = engine.getTemplate("login.peb");
  }

  /**
   * The page.
   *
   * @param csrfCookie the double-submit cookie to set with it, or null to keep the one the browser has
   * @param error a message for the user, or null
   * @param username the name to keep in the field after a failed attempt, or null
   */
  public Response page(int status, Cookie csrfCookie, String csrf, String returnTo, String error, String username) {
    byte[] nonceBytes = new byte[16];
    random.nextBytes(nonceBytes);
    String nonce = Base64.getEncoder().encodeToString(nonceBytes);
    Map<String, Object> model = new HashMap<>();
    model.put("nonce", nonce);
    model.put("csrf", csrf);
    model.put("returnTo", returnTo);
    model.put("error", error);
    model.put("username", username == null ? "" : username);
    StringWriter out = new StringWriter();
    try {
      template.evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Response.Builder response = Response.status(status)
        .header(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .header(HttpHeaderNames.CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'nonce-" + nonce + "'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    if (csrfCookie != null) {
      response.cookie(csrfCookie);
    }
    return response.html(out.toString()).build();
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
