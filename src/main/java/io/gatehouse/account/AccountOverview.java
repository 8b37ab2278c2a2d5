package io.gatehouse.account;

import io.gatehouse.http.Response;
import io.gatehouse.identity.AccountServices;
import io.gatehouse.identity.ApiKey;
import io.gatehouse.identity.Session;
import io.gatehouse.identity.Sessions;
import io.gatehouse.identity.passkey.Passkey;
import io.gatehouse.identity.passkey.Passkeys;
import io.gatehouse.oauth.Consents;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the account page shows of a signed-in user, read afresh for each page: the second factor,
 * the passkeys (never a key), the sessions (device and address at sign-in; the caller's own
 * marked), the live API keys (their ids, never a secret) and the apps the user allowed.
 */
final class AccountOverview {

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
      .withZone(ZoneOffset.UTC);

  private final AccountServices services;
  private final Passkeys passkeys;
  private final boolean passkeysEnabled;
  private final Consents consents;
  private final AccountPage page = new AccountPage();

  AccountOverview(AccountServices services, Passkeys passkeys, boolean passkeysEnabled, Consents consents) {
    this.services = services;
    this.passkeys = passkeys;
    this.passkeysEnabled = passkeysEnabled;
    this.consents = consents;
  }

  /**
   * The page for {@code caller}.
   *
   * @param shown what this answer alone shows besides the account ({@code notice}, {@code error},
   *     {@code newKey}, {@code recoveryCodes}), already safe to show: fixed messages or secrets made for it
   */
  Future<Response> render(Sessions.Active caller, int status, Map<String, Object> shown) {
    String userId = caller.user().id();
    Instant now = services.clock().instant();
    var factor = services.secondFactors().status(userId);
    var keys = passkeys.list(userId);
    var sessions = services.sessions().forUser(userId);
    var apiKeys = services.apiKeys().forUser(userId);
    var apps = consents.forUser(userId);
    return Future.all(factor, keys, sessions, apiKeys, apps).map(all -> {
      Map<String, Object> model = new HashMap<>(shown);
      model.put("username", caller.user().username());
      model.put("csrf", Sessions.csrfToken(caller.token()));
      model.put("fresh", caller.session().signedInRecently(now));
      model.put("totp", factor.result().totp());
      model.put("recoveryLeft", factor.result().recoveryCodesLeft());
      model.put("mfaRequired", services.identity().mfaRequired());
      model.put("passkeysEnabled", passkeysEnabled);
      model.put("passkeys", keys.result().stream().map(AccountOverview::passkey).toList());
      model.put("sessions", sessions.result().stream()
          .filter(session -> session.endsAt(services.sessions().idleTimeout()).isAfter(now))
          .map(session -> session(session, caller.session().tokenHash())).toList());
      model.put("apiKeys", apiKeys.result().stream().filter(key -> key.usableAt(now)).map(AccountOverview::apiKey)
          .toList());
      model.put("consents", apps.result().entrySet().stream().sorted(Map.Entry.comparingByKey())
          .map(app -> Map.of("client", app.getKey(), "scopes", String.join(" ", app.getValue()))).toList());
      return page.render(status, model, passkeysEnabled);
    });
  }

  private static Map<String, Object> passkey(Passkey passkey) {
    return Map.of("id", passkey.credentialId(), "name", passkey.name(), "created", when(passkey.createdAt()),
        "lastUsed", passkey.lastUsedAt() == null ? "never" : when(passkey.lastUsedAt()));
  }

  private static Map<String, Object> session(Session session, String currentHash) {
    return Map.of("id", session.tokenHash(), "device", session.device() == null ? "Unknown" : session.device(),
        "address", session.address() == null ? "" : session.address(), "created", when(session.createdAt()),
        "lastSeen", when(session.lastSeenAt()), "current", session.tokenHash().equals(currentHash));
  }

  private static Map<String, Object> apiKey(ApiKey key) {
    return Map.of("id", key.id(), "created", when(key.createdAt()),
        "expires", key.expiresAt() == null ? "never" : when(key.expiresAt()),
        "lastUsed", key.lastUsedAt() == null ? "never" : when(key.lastUsedAt()));
  }

  static String when(Instant at) {
    return WHEN.format(at);
  }
}
