package io.gatehouse.identity.web;

import io.gatehouse.http.HtmlTemplate;
import io.gatehouse.http.Response;
import io.nayuki.qrcodegen.QrCode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.cookie.Cookie;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The second-factor pages (one Pebble template, escaping by default): the code form, the TOTP
 * enrolment with its QR code (drawn here as SVG by qrcodegen, shown as a {@code data:} image, so
 * the page has no script and loads nothing), and the recovery codes shown once. Sent with the login
 * page's strict CSP, plus {@code img-src data:} for the QR code, and {@code no-store}.
 */
final class SecondFactorPage {

  private final HtmlTemplate template = new HtmlTemplate("second-factor.peb");
  private final boolean passkeys;

  /**
   * @param passkeys whether the code and enrolment pages offer "Sign in with a passkey instead" (a
   *     passkey sign-in meets {@code auth_level: mfa} too, so a user with a passkey needs no code)
   */
  SecondFactorPage(boolean passkeys) {
    this.passkeys = passkeys;
  }

  /** The code form: {@code POST /auth/mfa}. */
  Response verify(int status, Cookie csrfCookie, String csrf, String returnTo, String error) {
    return page(status, csrfCookie, List.of(), Map.of("mode", "verify", "title", "Two-step sign-in", "csrf", csrf,
        "returnTo", returnTo), error);
  }

  /** The enrolment: the QR code of {@code uri}, the secret to type, and the confirming code's form. */
  Response enrol(int status, Cookie csrfCookie, String csrf, String returnTo, String secret, String uri, String error) {
    return page(status, csrfCookie, List.of(), Map.of("mode", "enrol", "title", "Set up two-step sign-in", "csrf", csrf,
        "returnTo", returnTo, "secret", secret, "qr", qrDataUri(uri)), error);
  }

  /** The recovery codes, shown once, with the way on. */
  Response recovery(List<Cookie> cookies, List<String> codes, String returnTo) {
    return page(200, null, cookies, Map.of("mode", "recovery", "title", "Save your recovery codes", "codes", codes,
        "returnTo", returnTo), null);
  }

  /** A message and the way on (or back). */
  Response message(int status, List<Cookie> cookies, String title, String message, String returnTo) {
    return page(status, null, cookies, Map.of("mode", "message", "title", title, "message", message,
        "returnTo", returnTo), null);
  }

  private Response page(int status, Cookie csrfCookie, List<Cookie> cookies, Map<String, Object> values, String error) {
    String nonce = template.nonce();
    Map<String, Object> model = new HashMap<>(values);
    model.put("nonce", nonce);
    model.put("error", error);
    model.put("passkeys", passkeys);
    Response.Builder response = Response.status(status)
        .header(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .header(HttpHeaderNames.CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'nonce-" + nonce + "'; "
            + "img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    if (csrfCookie != null) {
      response.cookie(csrfCookie);
    }
    cookies.forEach(response::cookie);
    return response.html(template.render(model)).build();
  }

  /** The QR code of {@code text} as an SVG {@code data:} URI, with the four-module quiet zone readers need. */
  static String qrDataUri(String text) {
    QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
    int border = 4;
    int size = qr.size + border * 2;
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < qr.size; y++) {
      for (int x = 0; x < qr.size; x++) {
        if (qr.getModule(x, y)) {
          path.append('M').append(x + border).append(',').append(y + border).append("h1v1h-1z");
        }
      }
    }
    String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size
        + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"" + path
        + "\" fill=\"#000\"/></svg>";
    return "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8));
  }
}
