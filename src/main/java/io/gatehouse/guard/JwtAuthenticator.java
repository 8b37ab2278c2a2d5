package io.gatehouse.guard;

import io.gatehouse.http.Exchange;
import io.gatehouse.http.Principal;
import io.vertx.core.Future;

/**
 * {@code auth: [jwt]} and {@code [jwt:<name>]}: a signed JWT access token in
 * {@code Authorization: Bearer <token>} (RFC 6750 §2.1; tokens in query strings or form bodies
 * are not accepted), verified by that issuer's {@link JwtVerifier} and, where the route names one,
 * for the route's audience: a token whose {@code aud} does not include it is refused as invalid
 * (RFC 9068 §4: "the resource server MUST validate that the aud claim contains a resource
 * indicator value corresponding to an identifier the resource server expects for itself"). A
 * bearer value that is not shaped like a JWT (a session token, an API key) is left to the other
 * authenticators. Immutable and thread-safe.
 */
public final class JwtAuthenticator implements Authenticator {

  private final JwtVerifier verifier;
  private final String audience;

  public JwtAuthenticator(JwtVerifier verifier) {
    this(verifier, null);
  }

  private JwtAuthenticator(JwtVerifier verifier, String audience) {
    this.verifier = verifier;
    this.audience = audience;
  }

  /** The same issuer's tokens, admitted only when their {@code aud} includes {@code required} (null: any). */
  public JwtAuthenticator forAudience(String required) {
    return required == null ? this : new JwtAuthenticator(verifier, required);
  }

  @Override
  public Future<Principal> authenticate(Exchange exchange) {
    String token = Credentials.authorization(exchange, "Bearer");
    if (!CredentialShapes.isJwt(token)) {
      return Future.succeededFuture();
    }
    Future<Principal> verified = verifier.verify(token);
    return audience == null ? verified : verified.compose(principal -> principal.audience().contains(audience)
        ? Future.succeededFuture(principal) : Future.failedFuture(new CredentialRejected("route_audience")));
  }
}
