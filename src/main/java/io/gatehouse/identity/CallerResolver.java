package io.gatehouse.identity;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Finds the caller's credential in a request and checks it. Sessions come as
 * {@code Authorization: Bearer <session token>} or the session cookie; API keys as
 * {@code Authorization: Bearer gh_…} or {@code X-Api-Key: gh_…}. A bearer header wins over a
 * cookie. Stateless.
 */
public final class CallerResolver {

  public static final String API_KEY_HEADER = "X-Api-Key";

  private final Sessions sessions;
  private final ApiKeys apiKeys;
  private final UserStore users;
  private final SessionCookies cookies;

  public CallerResolver(Sessions sessions, ApiKeys apiKeys, UserStore users, SessionCookies cookies) {
    this.sessions = sessions;
    this.apiKeys = apiKeys;
    this.users = users;
    this.cookies = cookies;
  }

  /** The caller by session, or empty. */
  public Future<Optional<Caller>> session(RoutingContext ctx) {
    String bearer = bearer(ctx.request());
    boolean viaCookie = bearer == null;
    String token = viaCookie ? cookies.session(ctx) : bearer;
    if (token == null || ApiKeys.looksLikeKey(token)) {
      return Future.succeededFuture(Optional.empty());
    }
    String carrier = viaCookie ? "cookie:" + cookies.sessionCookieName(ctx) : HttpHeaders.AUTHORIZATION.toString();
    return sessions.resolve(token).map(active -> active.map(a -> new Caller(a.user(), null, a, viaCookie, carrier)));
  }

  /** The caller by API key, or empty. A user key stops working when its user is disabled. */
  public Future<Optional<Caller>> apiKey(RoutingContext ctx) {
    String presented = ctx.request().getHeader(API_KEY_HEADER);
    String carrier = API_KEY_HEADER;
    if (presented == null) {
      presented = bearer(ctx.request());
      carrier = HttpHeaders.AUTHORIZATION.toString();
    }
    String via = carrier;
    if (!ApiKeys.looksLikeKey(presented)) {
      return Future.succeededFuture(Optional.empty());
    }
    return apiKeys.verify(presented).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Optional.<Caller>empty());
      }
      ApiKey key = found.get();
      if (key.userId() == null) {
        return Future.succeededFuture(Optional.of(new Caller(null, key, null, false, via)));
      }
      return users.byId(key.userId()).map(user -> user.filter(u -> !u.disabled()).map(u -> new Caller(u, key, null, false, via)));
    });
  }

  /** The caller by API key, else by session, or empty. */
  public Future<Optional<Caller>> any(RoutingContext ctx) {
    return apiKey(ctx).compose(byKey -> byKey.isPresent() ? Future.succeededFuture(byKey) : session(ctx));
  }

  private static String bearer(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = header.substring(7).strip();
    return token.isEmpty() ? null : token;
  }
}
