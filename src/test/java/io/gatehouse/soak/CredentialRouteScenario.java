package io.gatehouse.soak;

import java.net.http.HttpRequest;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A signed-in caller on a protected route, with each kind of credential in each of its forms: a
 * session (bearer or cookie), an own access token, an API key ({@code ApiKey}, {@code X-Api-Key},
 * bearer), an external issuer's token. The upstream must be told the credential's subject and
 * never see the credential.
 */
final class CredentialRouteScenario implements Scenario {

  @Override
  public void run(SoakContext soak) {
    UserPool.PoolUser user = soak.pool.any();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    byte[] body = SoakContext.randomBytes(random.nextInt(0, 4096));
    String subject = user.id();
    HttpRequest.Builder request;
    String what;
    switch (random.nextInt(7)) {
      case 0 -> {
        what = "session route (bearer)";
        request = soak.proxied("/session/echo").header("Authorization", "Bearer " + user.session());
      }
      case 1 -> {
        what = "session route (cookie)";
        body = new byte[0]; // a cookie caller's POST would need the CSRF token: a GET
        request = soak.proxied("/session/echo").header("Cookie", "theme=dark; gh_session=" + user.session());
      }
      case 2 -> {
        what = "jwt route";
        request = soak.proxied("/jwt/echo").header("Authorization", "Bearer " + user.accessToken());
      }
      case 3 -> {
        what = "api key route (ApiKey)";
        request = soak.proxied("/keys/echo").header("Authorization", "ApiKey " + user.apiKey());
      }
      case 4 -> {
        what = "api key route (X-Api-Key)";
        request = soak.proxied("/keys/echo").header("X-Api-Key", user.apiKey());
      }
      case 5 -> {
        what = "api key route (bearer)";
        request = soak.proxied("/keys/echo").header("Authorization", "Bearer " + user.apiKey());
      }
      default -> {
        what = "external issuer route";
        subject = "ext-" + user.username();
        request = soak.proxied("/ext/echo").header("Authorization", "Bearer " + soak.issuer.token(subject));
      }
    }
    Answer answer = soak.client.send(what, body.length == 0 ? request.GET().build()
        : request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    if (soak.client.expect(answer, 200)) {
      EchoCheck.check(soak.promises, answer, SoakContext.sha256(body), subject);
    }
  }
}
