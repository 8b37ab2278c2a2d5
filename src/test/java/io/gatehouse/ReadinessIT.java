package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.Eventually;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.MutableClock;
import io.gatehouse.support.RedisServer;
import io.gatehouse.support.TcpRelay;
import io.gatehouse.support.TestIssuer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health/ready} tells the truth within a probe period (issue 20 item 4): a Redis that stops
 * answering, or goes away, reads DOWN within 2 s, and UP again once it is back; an issuer whose key
 * fetch fails reads STALE at once, with the reason and the last good fetch, while its cached keys
 * still admit the tokens they signed.
 */
class ReadinessIT {

  @TempDir
  Path dir;

  @Test
  void aLostRedisShowsWithinTwoSecondsAndItsReturnSoonAfter() throws Exception {
    URI redis = URI.create(RedisServer.url());
    try (TcpRelay relay = new TcpRelay(redis.getHost(), redis.getPort());
        GatehouseFixture gateway = GatehouseFixture.startRaw(dir, """
            server: { http: { host: 127.0.0.1, port: 0 }, https: { enabled: false } }
            management: { host: 127.0.0.1, port: 0 }
            store:
              embedded: { path: "${DATA}" }
              redis: { url: "redis://127.0.0.1:${PORT}", prefix: "${PREFIX}" }
            """, Map.of("PORT", Integer.toString(relay.port()), "PREFIX", RedisServer.freshPrefix()))) {
      assertThat(ready(gateway).statusCode()).isEqualTo(200);

      // A partition: nothing is closed, nothing is answered.
      relay.freeze();
      assertThat(Eventually.until(() -> ready(gateway).statusCode() == 503, Duration.ofSeconds(10)).toMillis())
          .isLessThan(2_000);
      JsonObject down = new JsonObject(ready(gateway).body());
      assertThat(down.getJsonObject("checks").getString("redis")).isEqualTo("DOWN");
      assertThat(down.getJsonObject("details").getJsonObject("redis").getString("reason"))
          .isEqualTo("no answer to PING within 1000 ms");
      Instant since = Instant.parse(down.getJsonObject("details").getJsonObject("redis").getString("since"));
      assertThat(since).isBefore(Instant.now());
      relay.thaw();
      Eventually.until(() -> ready(gateway).statusCode() == 200, Duration.ofSeconds(10));
      assertThat(new JsonObject(ready(gateway).body()).containsKey("details")).isFalse();

      // The server gone: its connections close, new ones are refused.
      relay.cut();
      assertThat(Eventually.until(() -> ready(gateway).statusCode() == 503, Duration.ofSeconds(10)).toMillis())
          .isLessThan(2_000);
      relay.restore();
      Eventually.until(() -> ready(gateway).statusCode() == 200, Duration.ofSeconds(10));
    }
  }

  @Test
  void anIssuerWhoseFetchFailsIsStaleAtOnceWithItsReasonWhileItsCachedKeysServe() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    try (TestIssuer issuer = TestIssuer.start(Files.createDirectories(dir.resolve("issuer")));
        GatehouseFixture gateway = GatehouseFixture.start(dir.resolve("data"), """
            issuers:
              - { name: flaky, issuer: "${ISSUER}", audience: api, ca_file: "${CA}", refetch_interval: 1s }
            routes:
              - { id: api, path: /api/**, respond: { body: ok }, auth: ["jwt:flaky"] }
            """, Map.of("ISSUER", issuer.issuer(), "CA", issuer.caFile().toString()), clock)) {
      Eventually.until(() -> "UP".equals(notices(gateway).getString("issuer:flaky")), Duration.ofSeconds(10));
      String seen = issuer.token("ann", c -> { });
      String unseen = issuer.token("bob", c -> { });
      assertThat(gateway.get("/api/x", "Authorization", "Bearer " + seen).statusCode()).isEqualTo(200);

      issuer.mode = TestIssuer.Mode.GARBAGE;
      issuer.rotate();
      clock.advance(Duration.ofSeconds(2)); // past the floor between fetches for unknown kids
      // Its kid is unknown: the keys are fetched at once, and the issuer answers garbage.
      assertThat(gateway.get("/api/x", "Authorization", "Bearer " + issuer.token("carol", c -> { })).statusCode())
          .isEqualTo(401);
      assertThat(issuer.jwksRequests.get()).isEqualTo(2);

      HttpResponse<String> ready = ready(gateway);
      assertThat(ready.statusCode()).as("cached keys still serve: no reason to leave the balancer").isEqualTo(200);
      JsonObject body = new JsonObject(ready.body());
      assertThat(body.getJsonObject("notices").getString("issuer:flaky")).isEqualTo("STALE");
      JsonObject details = body.getJsonObject("details").getJsonObject("issuer:flaky");
      assertThat(details.getString("reason")).isEqualTo("not a JWK set");
      assertThat(Instant.parse(details.getString("failed_at")))
          .isEqualTo(Instant.ofEpochMilli(clock.millis()))
          .isAfter(Instant.parse(details.getString("last_good_fetch")));
      assertThat(gateway.get("/api/x", "Authorization", "Bearer " + unseen).statusCode())
          .as("a token the cached keys signed, never verified before").isEqualTo(200);
    }
  }

  private static HttpResponse<String> ready(GatehouseFixture gateway) throws Exception {
    return gateway.send(HttpRequest.newBuilder(gateway.management("/health/ready")).build());
  }

  private static JsonObject notices(GatehouseFixture gateway) throws Exception {
    JsonObject notices = new JsonObject(ready(gateway).body()).getJsonObject("notices");
    return notices == null ? new JsonObject() : notices;
  }
}
