package io.gatehouse.soak;

import java.net.http.HttpRequest;
import java.util.concurrent.ThreadLocalRandom;

/** An anonymous request with a body to an open route: proxied whole, with no identity and none forged. */
final class AnonymousProxyScenario implements Scenario {

  @Override
  public void run(SoakContext soak) {
    byte[] body = SoakContext.randomBytes(ThreadLocalRandom.current().nextInt(1, 8192));
    Answer answer = soak.client.send("open route", soak.proxied("/open/echo?n=" + body.length)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    if (soak.client.expect(answer, 200)) {
      EchoCheck.check(soak.promises, answer, SoakContext.sha256(body), null);
    }
  }
}
