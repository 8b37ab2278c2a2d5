package io.gatehouse.soak;

import java.net.http.HttpRequest;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A caller without a valid credential on a protected route: none, a made-up session, token or
 * key, another key's signature, an expired token, a token of the wrong issuer or audience. Any
 * 2xx is {@link BrokenPromise#ADMITTED_WITHOUT_CREDENTIAL}.
 */
final class NoCredentialScenario implements Scenario {

  @Override
  public void run(SoakContext soak) {
    UserPool.PoolUser user = soak.pool.any();
    HexFormat hex = HexFormat.of();
    String what;
    HttpRequest.Builder request;
    switch (ThreadLocalRandom.current().nextInt(8)) {
      case 0 -> {
        what = "no credential";
        request = soak.proxied("/session/echo");
      }
      case 1 -> {
        what = "made-up session";
        request = soak.proxied("/session/echo").header("Authorization", "Bearer "
            + hex.formatHex(SoakContext.randomBytes(32)));
      }
      case 2 -> {
        what = "made-up API key";
        request = soak.proxied("/keys/echo").header("X-Api-Key", "gh_" + hex.formatHex(SoakContext.randomBytes(6))
            + "_" + hex.formatHex(SoakContext.randomBytes(32)));
      }
      case 3 -> {
        what = "token signed by another key";
        request = soak.proxied("/ext/echo").header("Authorization", "Bearer " + soak.issuer.forged(user.id()));
      }
      case 4 -> {
        what = "expired token";
        request = soak.proxied("/ext/echo").header("Authorization", "Bearer " + soak.issuer.expired(user.id()));
      }
      case 5 -> {
        what = "external token on the own-token route";
        request = soak.proxied("/jwt/echo").header("Authorization", "Bearer " + soak.issuer.token(user.id()));
      }
      case 6 -> {
        what = "own token of another audience";
        request = soak.proxied("/svc/echo").header("Authorization", "Bearer " + user.accessToken());
      }
      default -> {
        what = "garbage token";
        request = soak.proxied("/jwt/echo").header("Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.");
      }
    }
    Answer answer = soak.client.send("refused: " + what, request.GET().build());
    if (answer.is2xx()) {
      soak.promises.broken(BrokenPromise.ADMITTED_WITHOUT_CREDENTIAL, what + ": " + answer);
      return;
    }
    soak.client.expect(answer, 401);
  }
}
