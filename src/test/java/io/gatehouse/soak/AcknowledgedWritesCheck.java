package io.gatehouse.soak;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * At the end, once every fault is healed: every acknowledged write is still there. Each signed-up
 * account exists, each acknowledged disable holds, each acknowledged password change is the
 * password that works, and every credential a 2xx ended (revocation, logout, password change,
 * disable, refresh reuse) is refused by every instance.
 */
final class AcknowledgedWritesCheck {

  /** @param lost writes acknowledged and missing; @param unverified writes that could not be checked */
  record Outcome(List<String> lost, List<String> unverified, int checked) {
  }

  private AcknowledgedWritesCheck() {
  }

  static Outcome run(SoakContext soak) {
    List<String> lost = new ArrayList<>();
    List<String> unverified = new ArrayList<>();
    int checked = 0;
    Answer list = soak.admin.call("GET", "/admin/users", null);
    Map<String, JsonObject> users = new HashMap<>();
    if (list != null && list.is2xx()) {
      JsonArray items = new JsonObject(list.body()).getJsonArray("items");
      for (int i = 0; i < items.size(); i++) {
        users.put(items.getJsonObject(i).getString("username"), items.getJsonObject(i));
      }
    } else {
      unverified.add("the user list: " + list);
    }
    for (Ledger.Account account : soak.ledger.accounts()) {
      if (users.isEmpty()) {
        break;
      }
      checked++;
      JsonObject user = users.get(account.username);
      if (user == null) {
        lost.add("signup of " + account.username + ": acknowledged with 201, no such account at the end");
        continue;
      }
      if (account.disableAcknowledged && !user.getBoolean("disabled", false)) {
        lost.add("disable of " + account.username + ": acknowledged with 200, enabled at the end");
      }
      if (account.passwordChangeAcknowledged && !account.disableAttempted) {
        checked++;
        passwordHolds(soak, account, lost, unverified);
      }
    }
    for (Ledger.Revoked revoked : soak.ledger.revoked()) {
      for (SoakTarget.Instance instance : soak.target.instances()) {
        checked++;
        Answer answer = soak.client.send("final check " + revoked.path(), HttpRequest.newBuilder(
            instance.http().get().resolve(revoked.path())).timeout(SoakClient.TIMEOUT)
            .header(revoked.header(), revoked.value()).GET().build());
        if (answer.is2xx()) {
          lost.add(revoked.what() + ": admitted by instance " + instance.name() + " at the end");
        } else if (!answer.answered() || answer.status() != 401 && answer.status() != 403) {
          unverified.add(revoked.what() + " on " + instance.name() + ": " + answer);
        }
      }
    }
    for (String refreshToken : soak.ledger.revokedRefreshTokens()) {
      checked++;
      Answer answer = soak.client.send("final check refresh", soak.request("/oauth2/token")
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id=gatehouse&refresh_token="
              + CodeFlowScenario.enc(refreshToken))).build());
      if (answer.is2xx()) {
        lost.add("a revoked refresh token (revocation or reuse acknowledged) bought new tokens at the end");
      } else if (!answer.answered() || answer.status() != 400) {
        unverified.add("revoked refresh token: " + answer);
      }
    }
    return new Outcome(lost, unverified, checked);
  }

  private static void passwordHolds(SoakContext soak, Ledger.Account account, List<String> lost,
      List<String> unverified) {
    List<String> candidates;
    synchronized (account) {
      candidates = new ArrayList<>(account.passwords);
    }
    boolean failed = false;
    for (String password : candidates) {
      Answer login = soak.logIn(account.username, password);
      if (login.is2xx()) {
        return;
      }
      failed |= login.failedByFault();
    }
    if (failed) {
      unverified.add("password change of " + account.username);
    } else {
      lost.add("password change of " + account.username + ": acknowledged with 204, the new password fails");
    }
  }
}
