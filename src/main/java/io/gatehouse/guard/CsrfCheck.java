package io.gatehouse.guard;

import io.gatehouse.http.Cors;
import io.gatehouse.http.Exchange;
import io.gatehouse.config.Methods;
import io.gatehouse.http.Origins;
import io.gatehouse.identity.SecretTokens;
import io.gatehouse.identity.Sessions;
import io.netty.handler.codec.http.HttpHeaderNames;

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

  public CsrfCheck(Origins origins, Cors cors) {
    this.origins = origins;
    this.cors = cors;
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
    String expected = Sessions.csrfToken(principal.session().token());
    return SecretTokens.equal(expected, exchange.header(HEADER)) || origins.isSameOrigin(exchange, origin);
  }
}
