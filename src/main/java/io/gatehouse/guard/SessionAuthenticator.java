package io.gatehouse.guard;

import io.gatehouse.http.Exchange;
import io.gatehouse.identity.ApiKeys;
import io.gatehouse.identity.SessionCookies;
import io.gatehouse.identity.Sessions;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@code auth: [session]}: a live session, presented as {@code Authorization: Bearer <token>}
 * (apps) or in the session cookie (browsers; {@code __Host-} prefixed on HTTPS). A bearer header
 * wins over a cookie. Stateless and thread-safe.
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
    boolean viaCookie = bearer == null;
    String token = viaCookie ? exchange.cookie(cookies.sessionCookieName(exchange.https())) : bearer;
    if (token == null || ApiKeys.looksLikeKey(token)) {
      return Future.succeededFuture();
    }
    return sessions.resolve(token).map(active -> active
        .map(a -> new Principal(a.user().id(), a.user().roles(), List.of(), null, AuthKind.SESSION, viaCookie, a.user(), a))
        .orElse(null));
  }
}
