package io.gatehouse.soak;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.util.List;

/**
 * An account's life: signup, two logins, refresh rotation and the reuse of a rotated refresh
 * token (which must end its family), revocation of an access and a refresh token, a password
 * change (which must end the other login's credentials) and a logout. Every acknowledged change
 * goes into the ledger and is probed on every instance a second later.
 */
final class AccountLifecycleScenario implements Scenario {

  @Override
  public void run(SoakContext soak) {
    Ledger.Account account = soak.newAccount("life");
    if (account == null) {
      return;
    }
    JsonObject first = soak.logIn(account);
    JsonObject second = first == null ? null : soak.logIn(account);
    if (second == null) {
      return;
    }
    String session = first.getString("session_token");
    Answer own = soak.client.send("session route (bearer)", soak.proxied("/session/echo")
        .header("Authorization", "Bearer " + session).GET().build());
    if (soak.client.expect(own, 200)) {
      EchoCheck.check(soak.promises, own, SoakContext.sha256(new byte[0]), account.id);
    }
    if (!refreshAndReuse(soak, first.getString("refresh_token"))
        || !revoke(soak, second.getString("access_token"), second.getString("refresh_token"))) {
      return;
    }
    String otherSession = second.getString("session_token");
    String earlierToken = first.getString("access_token");
    if (!changePassword(soak, account, session, otherSession, earlierToken)) {
      return;
    }
    Answer logout = soak.client.send("logout", soak.request("/auth/logout")
        .header("Authorization", "Bearer " + session).POST(HttpRequest.BodyPublishers.noBody()).build());
    if (soak.client.expect(logout, 204)) {
      long acknowledged = System.nanoTime();
      soak.ledger.revoked(new Ledger.Revoked("logged-out session", "/auth/session", "Authorization",
          "Bearer " + session));
      soak.refusals.expect(BrokenPromise.LOGGED_OUT_SESSION_ADMITTED, "logout", acknowledged,
          List.of(new RefusalAfterChange.Probe("/session/echo", "Authorization", "Bearer " + session)));
    }
  }

  /** Rotates {@code refreshToken}, then presents it again: the family and its new access token must end. */
  private static boolean refreshAndReuse(SoakContext soak, String refreshToken) {
    Answer rotated = refresh(soak, "refresh rotation", refreshToken);
    if (!soak.client.expect(rotated, 200)) {
      return false;
    }
    JsonObject tokens = new JsonObject(rotated.body());
    Answer reused = refresh(soak, "refresh token reused", refreshToken);
    if (!soak.client.expect(reused, 400)) {
      return false;
    }
    long acknowledged = System.nanoTime();
    String accessToken = tokens.getString("access_token");
    soak.ledger.revokedRefreshToken(tokens.getString("refresh_token"));
    soak.ledger.revoked(new Ledger.Revoked("access token of a reused refresh family", "/jwt/echo", "Authorization",
        "Bearer " + accessToken));
    soak.refusals.expect(BrokenPromise.REVOKED_TOKEN_ADMITTED, "refresh token reuse", acknowledged,
        List.of(new RefusalAfterChange.Probe("/jwt/echo", "Authorization", "Bearer " + accessToken)));
    return true;
  }

  /** Revokes an access token and a refresh token at {@code /oauth2/revoke} (RFC 7009). */
  private static boolean revoke(SoakContext soak, String accessToken, String refreshToken) {
    Answer access = soak.client.send("revoke access token", revocation(soak, accessToken));
    if (!soak.client.expect(access, 200)) {
      return false;
    }
    long acknowledged = System.nanoTime();
    soak.ledger.revoked(new Ledger.Revoked("revoked access token", "/jwt/echo", "Authorization",
        "Bearer " + accessToken));
    soak.refusals.expect(BrokenPromise.REVOKED_TOKEN_ADMITTED, "access token revocation", acknowledged,
        List.of(new RefusalAfterChange.Probe("/jwt/echo", "Authorization", "Bearer " + accessToken)));
    Answer refresh = soak.client.send("revoke refresh token", revocation(soak, refreshToken));
    if (!soak.client.expect(refresh, 200)) {
      return false;
    }
    soak.ledger.revokedRefreshToken(refreshToken);
    return true;
  }

  /** Changes the password with {@code session}: the other session and the earlier token must end, this session not. */
  private static boolean changePassword(SoakContext soak, Ledger.Account account, String session,
      String otherSession, String earlierToken) {
    String current;
    synchronized (account) {
      current = account.passwords.iterator().next();
    }
    String next = SoakContext.password();
    Answer change = soak.client.send("password change", soak.request("/auth/password")
        .header("Authorization", "Bearer " + session).header("Content-Type", "application/json")
        .POST(SoakContext.json(new JsonObject().put("current_password", current).put("new_password", next)))
        .build());
    boolean acknowledged = soak.client.expect(change, 204);
    soak.ledger.passwordChange(account, next, acknowledged);
    if (!acknowledged) {
      return false;
    }
    long at = System.nanoTime();
    soak.ledger.revoked(new Ledger.Revoked("session before a password change", "/auth/session", "Authorization",
        "Bearer " + otherSession));
    soak.ledger.revoked(new Ledger.Revoked("access token before a password change", "/jwt/echo", "Authorization",
        "Bearer " + earlierToken));
    soak.refusals.expect(BrokenPromise.OLD_PASSWORD_CREDENTIAL_ADMITTED, "password change", at, List.of(
        new RefusalAfterChange.Probe("/session/echo", "Authorization", "Bearer " + otherSession),
        new RefusalAfterChange.Probe("/jwt/echo", "Authorization", "Bearer " + earlierToken)));
    Answer kept = soak.client.send("session route (after its password change)", soak.proxied("/session/echo")
        .header("Authorization", "Bearer " + session).GET().build());
    soak.client.expect(kept, 200);
    return true;
  }

  private static Answer refresh(SoakContext soak, String what, String refreshToken) {
    return soak.client.send(what, soak.request("/oauth2/token")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id=gatehouse&refresh_token="
            + CodeFlowScenario.enc(refreshToken))).build());
  }

  private static HttpRequest revocation(SoakContext soak, String token) {
    return soak.request("/oauth2/revoke").header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("client_id=gatehouse&token=" + CodeFlowScenario.enc(token)))
        .build();
  }
}
