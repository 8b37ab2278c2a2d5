package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.Eventually;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.PostgresDatabase;
import io.gatehouse.support.TcpRelay;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL lost at runtime (a relay in between, cut and restored; the server itself stays up):
 * writes answer 503 with Retry-After, never a 2xx, readiness fails, and service resumes by itself.
 */
class StoreOutageIT {

  @TempDir
  Path dir;

  @Test
  void aLostDatabaseAnswers503AndServiceResumesByItself() throws Exception {
    try (PostgresDatabase database = PostgresDatabase.create(); TcpRelay relay = new TcpRelay("127.0.0.1", 5432)) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.writeString(dir.resolve("master.key"), Base64.getEncoder().encodeToString(key));
      String url = database.url().replaceFirst("//[^/]+/", "//127.0.0.1:" + relay.port() + "/");
      try (GatehouseFixture gateway = GatehouseFixture.startRaw(dir, """
          server: { http: { host: 127.0.0.1, port: 0 }, https: { enabled: false } }
          management: { host: 127.0.0.1, port: 0 }
          store:
            embedded: { path: "${DATA}" }
            postgres: { url: "${PG_URL}", user: "${PG_USER}" }
          """, Map.of("PG_URL", url, "PG_USER", database.user()))) {
        assertThat(signup(gateway, "before").statusCode()).isEqualTo(201);

        relay.cut();
        HttpResponse<String> during = signup(gateway, "during");
        assertThat(during.statusCode()).isEqualTo(503);
        assertThat(during.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(during.body()).contains("The store cannot be reached right now.").doesNotContain("PSQL", "Exception");
        // Found by the soak: every request used to wait out the connection timeout; now the next ones
        // are answered at once while the first's finding holds.
        long started = System.nanoTime();
        assertThat(signup(gateway, "meanwhile").statusCode()).isEqualTo(503);
        assertThat(System.nanoTime() - started).as("a 503 at once, not after a timeout")
            .isLessThan(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(gateway.send(HttpRequest.newBuilder(gateway.management("/health/ready")).build()).statusCode())
            .isEqualTo(503);

        relay.restore();
        // Tried again within a second of the hold-off (Database times it by System.nanoTime, not a Clock);
        // every 200 ms, as each try is a signup the default signup rate limit counts.
        int status = Eventually.read(() -> signup(gateway, "during").statusCode(), s -> s != 503,
            Duration.ofSeconds(10), Duration.ofMillis(200));
        assertThat(status).as("nothing of the failed signup was kept").isEqualTo(201);
        assertThat(gateway.send(HttpRequest.newBuilder(gateway.management("/health/ready")).build()).statusCode())
            .isEqualTo(200);
      }
    }
  }

  private static HttpResponse<String> signup(GatehouseFixture gateway, String name) throws Exception {
    return gateway.send(HttpRequest.newBuilder(gateway.http("/auth/signup"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", name)
            .put("password", "correct horse battery staple").encode()))
        .build());
  }
}
