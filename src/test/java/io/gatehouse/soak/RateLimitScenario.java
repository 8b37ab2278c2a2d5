package io.gatehouse.soak;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A burst of requests, all at once and more than the limit, under a key of their own on the
 * limited route (counted across every instance): at most the limit may pass ({@link LimitCheck}).
 */
final class RateLimitScenario implements Scenario {

  private static final int BURST = 12;

  @Override
  public void run(SoakContext soak) {
    String key = UUID.randomUUID().toString();
    double start = soak.client.tally().clock().elapsed();
    List<CompletableFuture<Answer>> sent = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      HttpRequest request = soak.proxied("/limited/echo").header("X-Soak-Key", key).GET().build();
      sent.add(CompletableFuture.supplyAsync(() -> soak.client.send("limited route", request)));
    }
    int admitted = 0;
    for (CompletableFuture<Answer> each : sent) {
      Answer answer = each.join();
      if (answer.is2xx()) {
        admitted++;
      } else {
        soak.client.expect(answer, 429);
      }
    }
    double span = soak.client.tally().clock().elapsed() - start;
    LimitCheck.check(soak.promises, admitted, SoakContext.LIMIT, span, SoakContext.LIMIT_WINDOW_SECONDS);
  }
}
