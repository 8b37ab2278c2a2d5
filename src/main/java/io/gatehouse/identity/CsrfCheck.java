package io.gatehouse.identity;

import io.gatehouse.http.Exchange;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Locale;

/**
 * Cross-site request forgery defence for cookie-authenticated changes: a state-changing request
 * carried by the session cookie must bring the session's CSRF token ({@code X-CSRF-Token} header
 * or {@code csrf_token} form field) or an {@code Origin} header naming this origin. Bearer tokens
 * and API keys are never sent by a browser on its own, so they need neither.
 */
public final class CsrfCheck {

  public static final String HEADER = "X-CSRF-Token";

  private final String issuerOrigin;

  public CsrfCheck(URI issuer) {
    this.issuerOrigin = origin(issuer.getScheme(), issuer.getAuthority());
  }

  /** @param formToken the {@code csrf_token} form field, or null */
  public boolean allows(RoutingContext ctx, Caller caller, String formToken) {
    HttpServerRequest request = ctx.request();
    if (!caller.viaCookie() || isSafe(request.method())) {
      return true;
    }
    String expected = Sessions.csrfToken(caller.session().token());
    String presented = request.getHeader(HEADER) != null ? request.getHeader(HEADER) : formToken;
    return SecretTokens.equal(expected, presented) || isSameOrigin(ctx);
  }

  /** True when the request's {@code Origin} is this gateway's: the host it was sent to, or the issuer. */
  public boolean isSameOrigin(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    String host = ctx.request().getHeader(HttpHeaders.HOST);
    if (origin == null || origin.equals("null")) {
      return false;
    }
    String normalized = origin.toLowerCase(Locale.ROOT);
    return normalized.equals(issuerOrigin)
        || (host != null && normalized.equals(origin(Exchange.of(ctx).https() ? "https" : "http", host)));
  }

  private static String origin(String scheme, String authority) {
    String lower = authority.toLowerCase(Locale.ROOT);
    String s = scheme.toLowerCase(Locale.ROOT);
    // The default port is never written in an Origin header.
    if ((s.equals("https") && lower.endsWith(":443")) || (s.equals("http") && lower.endsWith(":80"))) {
      lower = lower.substring(0, lower.lastIndexOf(':'));
    }
    return s + "://" + lower;
  }

  private static boolean isSafe(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
  }
}
