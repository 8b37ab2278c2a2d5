package io.gatehouse.guard;

import io.gatehouse.config.Methods;
import io.gatehouse.http.Cors;
import io.gatehouse.http.Exchange;
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
 * certificates are never sent by a browser on its own, so they need neither. Thread-safe.
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
    String expected = expectedToken.apply(principal);
    String presented = exchange.header(HEADER);
    boolean tokenMatches = expected != null && presented != null && MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    return tokenMatches || origins.isSameOrigin(exchange, origin);
  }
}
