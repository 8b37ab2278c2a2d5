package io.gatehouse.guard;

import io.gatehouse.config.Methods;
import io.gatehouse.http.Cors;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.FormCsrf;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.RequestBody;
import io.gatehouse.http.Origins;
import io.gatehouse.http.Principal;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Function;

/**
 * Cross-site request forgery defence for callers admitted by the session cookie, which a browser
 * attaches on its own: a state-changing request (POST, PUT, PATCH, DELETE) must bring the
 * session's CSRF token in {@code X-CSRF-Token} or an {@code Origin} naming this gateway; a
 * WebSocket upgrade (which a browser lets any page open) must come from this gateway's origin or
 * one listed explicitly in {@code cors.allowed_origins}. Bearer tokens, API keys and client
 * certificates are never sent by a browser on its own, so they need neither. Built-in endpoints'
 * forms bring the proof they declare ({@link #formAllows}). Thread-safe.
 */
public final class CsrfCheck {

  public static final String HEADER = "X-CSRF-Token";

  private final Origins origins;
  private final Cors cors;
  private final Function<Principal, String> expectedToken;

  /**
   * @param expectedToken the CSRF token a cookie caller's changes must bring (identity derives it
   *     from the session)
   */
  public CsrfCheck(Origins origins, Cors cors, Function<Principal, String> expectedToken) {
    this.origins = origins;
    this.cors = cors;
    this.expectedToken = expectedToken;
  }

  /** Whether a request of {@code principal}, admitted by its credential, passes the check above. */
  public boolean allows(Exchange exchange, Principal principal) {
    if (!principal.viaCookie()) {
      return true;
    }
    String origin = exchange.header(HttpHeaderNames.ORIGIN);
    if (exchange.isWebSocketUpgrade()) {
      return origins.isSameOrigin(exchange, origin) || cors.listsExplicitly(origin);
    }
    if (Methods.isSafe(exchange.method())) {
      return true;
    }
    return matches(expectedToken.apply(principal), exchange.header(HEADER)) || origins.isSameOrigin(exchange, origin);
  }

  /**
   * Whether a form posted to a built-in endpoint brings the proof the endpoint declares (see
   * {@link FormCsrf}); a safe method or a body that is not a form passes. The body was gathered
   * before the guard.
   *
   * @param principal the admitted caller, or null on an open endpoint
   * @throws ProblemException 400 when the body is not a valid form
   */
  public boolean formAllows(Exchange exchange, Principal principal, FormCsrf form) {
    if (Methods.isSafe(exchange.method()) || !Request.FORM.equals(Request.mediaType(exchange))) {
      return true;
    }
    byte[] body = exchange.gatheredBody();
    if (body == null) {
      return false;
    }
    String presented = RequestBody.form(body).get(form.field());
    if (form instanceof FormCsrf.DoubleSubmit submit) {
      // "Origin: null" is what a browser sends under Referrer-Policy: no-referrer (ours): no
      // information either way, so the double-submit token alone decides.
      String origin = exchange.header(HttpHeaderNames.ORIGIN);
      boolean crossSite = origin != null && !origin.equals("null") && !origins.isSameOrigin(exchange, origin);
      String cookie = exchange.cookie(exchange.https() ? submit.secureCookie() : submit.cookie());
      return !crossSite && matches(cookie, presented);
    }
    return principal != null && matches(expectedToken.apply(principal), presented);
  }

  private static boolean matches(String expected, String presented) {
    return expected != null && presented != null && MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }
}
