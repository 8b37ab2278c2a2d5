package io.gatehouse.oauth;

import io.gatehouse.identity.LoginTokens;
import io.gatehouse.identity.Session;
import io.gatehouse.identity.User;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in first-party client, {@value #CLIENT_ID}: public (no secret), used by a JSON login to
 * answer an access token and a refresh token beside the session token, and allowed only the
 * {@code refresh_token} grant at the token endpoint (with {@code client_id=gatehouse}). Its tokens
 * carry the user's roles, are for the default audience, and are bound to the login's session: they
 * end with it. They carry the session's {@code amr}, {@code acr} and {@code auth_time} (RFC 9068
 * §2.2.1), and so do those its refresh tokens issue: a token from a two-factor sign-in meets a route's
 * {@code auth_level: mfa}.
 */
public final class FirstPartyClient implements LoginTokens {

  public static final String CLIENT_ID = "gatehouse";
  /** The built-in client as a registered client would be: public, first-party, refresh only. */
  public static final OAuthClient CLIENT = new OAuthClient(CLIENT_ID, null, List.of(Clients.REFRESH_TOKEN), List.of(),
      List.of(), List.of(), true, Instant.EPOCH, null, null);

  private final RefreshTokens refreshTokens;

  public FirstPartyClient(RefreshTokens refreshTokens) {
    this.refreshTokens = refreshTokens;
  }

  @Override
  public Future<Map<String, Object>> issue(User user, Session session) {
    AuthorizationCode.SignIn signIn = new AuthorizationCode.SignIn(null, session.createdAt(), session.tokenHash(),
        session.amr());
    return refreshTokens.start(user, CLIENT, List.of(), List.of(), signIn).map(pair -> {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("access_token", pair.access().token());
      fields.put("access_token_expires_in", pair.access().lifetime().toSeconds());
      fields.put("refresh_token", pair.refreshToken());
      return fields;
    });
  }
}
