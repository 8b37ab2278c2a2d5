package io.gatehouse.soak;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A service gets a token with {@code client_credentials} and calls the route of its audience with it. */
final class ClientCredentialsScenario implements Scenario {

  @Override
  public void run(SoakContext soak) {
    String basic = Base64.getEncoder().encodeToString((SoakContext.SERVICE_CLIENT + ":" + soak.serviceSecret)
        .getBytes(StandardCharsets.UTF_8));
    Answer token = soak.client.send("client_credentials", soak.request("/oauth2/token")
        .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=svc%3Aread")).build());
    if (!soak.client.expect(token, 200)) {
      return;
    }
    String accessToken = new JsonObject(token.body()).getString("access_token");
    Answer call = soak.client.send("service route", soak.proxied("/svc/echo")
        .header("Authorization", "Bearer " + accessToken).GET().build());
    if (soak.client.expect(call, 200)) {
      EchoCheck.check(soak.promises, call, SoakContext.sha256(new byte[0]), SoakContext.SERVICE_CLIENT);
    }
  }
}
