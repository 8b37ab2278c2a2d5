package io.gatehouse.identity;

import io.gatehouse.guard.CredentialShapes;
import io.gatehouse.config.AuthKind;
import io.gatehouse.guard.Authenticator;
import io.gatehouse.guard.CredentialRejected;
import io.gatehouse.guard.Credentials;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.Principal;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@code auth: [session]}: a live session, presented as {@code Authorization: Bearer <token>}
 * (apps) or in the session cookie (browsers; {@code __Host-} prefixed on HTTPS). A request carrying
 * two different session tokens (header and cookie) is refused rather than resolved by precedence.
 * Stateless and thread-safe.
 */
public final class SessionAuthenticator implements Authenticator {

  private final Sessions sessions;
  private final SessionCookies cookies;

  public SessionAuthenticator(Sessions sessions, SessionCookies cookies) {
    this.sessions = sessions;
    this.cookies = cookies;
  }

  @Override
  public Future<Principal> authenticate(Exchange exchange) {
    String bearer = Credentials.authorization(exchange, "Bearer");
    if (bearer != null && (CredentialShapes.isApiKey(bearer) || CredentialShapes.isJwt(bearer))) {
      bearer = null; // another kind's credential: not a session token
    }
    String cookie = exchange.cookie(cookies.sessionCookieName(exchange.https()));
    if (bearer != null && cookie != null && !SecretTokens.equal(bearer, cookie)) {
      // Two different sessions in one request: neither is chosen by precedence.
      return Future.failedFuture(new CredentialRejected("ambiguous_session"));
    }
    boolean viaCookie = bearer == null;
    String token = viaCookie ? cookie : bearer;
    if (token == null || CredentialShapes.isApiKey(token)) {
      return Future.succeededFuture();
    }
    return sessions.resolve(token).map(active -> active
        .map(a -> new Principal(a.user().id(), a.user().roles(), List.of(), null, AuthKind.SESSION, viaCookie, a,
            List.of(), a.session().acr()))
        .orElse(null));
  }
}
