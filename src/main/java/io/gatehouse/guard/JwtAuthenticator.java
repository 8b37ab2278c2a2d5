package io.gatehouse.guard;

import io.gatehouse.http.Exchange;
import io.vertx.core.Future;

/**
 * {@code auth: [jwt]} and {@code [jwt:<name>]}: a signed JWT access token in
 * {@code Authorization: Bearer <token>} (RFC 6750 §2.1; tokens in query strings or form bodies
 * are not accepted), verified by that issuer's {@link JwtVerifier}. A bearer value that is not
 * shaped like a JWT (a session token, an API key) is left to the other authenticators. Stateless
 * and thread-safe.
 */
public final class JwtAuthenticator implements Authenticator {

  private final JwtVerifier verifier;

  public JwtAuthenticator(JwtVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public Future<Principal> authenticate(Exchange exchange) {
    String token = Credentials.authorization(exchange, "Bearer");
    if (token == null || !looksLikeJwt(token)) {
      return Future.succeededFuture();
    }
    return verifier.verify(token);
  }

  /** A JWS in compact serialisation: three base64url parts, two dots (RFC 7515 §7.1). */
  public static boolean looksLikeJwt(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    return first > 0 && second > first + 1 && token.indexOf('.', second + 1) < 0;
  }
}
