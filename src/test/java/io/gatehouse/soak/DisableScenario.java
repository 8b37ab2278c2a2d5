package io.gatehouse.soak;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An administrator disables an account that has a session, an access token and an API key: all
 * three must be refused on every instance within a second.
 */
final class DisableScenario implements Scenario {

  @Override
  public void run(SoakContext soak) {
    Ledger.Account account = soak.newAccount("disabled");
    JsonObject login = account == null ? null : soak.logIn(account);
    if (login == null) {
      return;
    }
    Answer created = soak.admin.call("POST", "/admin/apikeys", new JsonObject().put("user_id", account.id));
    if (created == null || !soak.client.expect(created, 201)) {
      return;
    }
    String apiKey = new JsonObject(created.body()).getString("key");
    Answer disable = soak.admin.call("PATCH", "/admin/users/" + account.id, new JsonObject().put("disabled", true));
    boolean acknowledged = disable != null && soak.client.expect(disable, 200);
    soak.ledger.disable(account, acknowledged);
    if (!acknowledged) {
      return;
    }
    long at = System.nanoTime();
    String session = login.getString("session_token");
    String accessToken = login.getString("access_token");
    soak.ledger.revoked(new Ledger.Revoked("disabled user's session", "/auth/session", "Authorization",
        "Bearer " + session));
    soak.ledger.revoked(new Ledger.Revoked("disabled user's access token", "/jwt/echo", "Authorization",
        "Bearer " + accessToken));
    soak.ledger.revoked(new Ledger.Revoked("disabled user's API key", "/keys/echo", "X-Api-Key", apiKey));
    soak.refusals.expect(BrokenPromise.DISABLED_USER_ADMITTED, "disable", at, List.of(
        new RefusalAfterChange.Probe("/session/echo", "Authorization", "Bearer " + session),
        new RefusalAfterChange.Probe("/jwt/echo", "Authorization", "Bearer " + accessToken),
        new RefusalAfterChange.Probe("/keys/echo", "X-Api-Key", apiKey)));
  }
}
