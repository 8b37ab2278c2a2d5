package io.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.config.StoreConfig;
import io.gatehouse.ratelimit.Limit;
import io.gatehouse.config.LimitKey;
import io.gatehouse.support.Eventually;
import io.gatehouse.support.MutableClock;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.PostgresDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Redis of the test's own (the machine's redis-server on a free port) stopped and started again
 * under a running subscriber and limiter, and under two Gatehouse instances on one PostgreSQL
 * database: announcements resume by themselves after a resync; rate limits fail open while it is
 * gone and count again once it is back; sessions fail closed (503) meanwhile, readiness and
 * metrics tell, and both instances share sessions again once it is back.
 */
class RedisOutageIT {

  @TempDir
  Path dir;
  private Process redis;
  private int port;
  private Vertx vertx;

  @BeforeEach
  void startRedis() throws Exception {
    Path binary = Path.of("/usr/bin/redis-server");
    if (!Files.isExecutable(binary)) {
      if (System.getenv("GATEHOUSE_REQUIRE_SERVICES") != null) {
        throw new IllegalStateException("redis-server is required (GATEHOUSE_REQUIRE_SERVICES)");
      }
      Assumptions.abort("redis-server is not installed");
    }
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    redis = start();
    vertx = Vertx.vertx();
  }

  private Process start() throws Exception {
    Process process = new ProcessBuilder("/usr/bin/redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    Eventually.until(this::answers, Duration.ofSeconds(15));
    return process;
  }

  private boolean answers() {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @AfterEach
  void stopRedis() throws Exception {
    if (vertx != null) {
      vertx.close().await();
    }
    if (redis != null) {
      redis.destroyForcibly().waitFor();
    }
  }

  @Test
  void subscriptionAndLimitsComeBackAfterRedisRestarts() throws Exception {
    StoreConfig.RedisConfig config = new StoreConfig.RedisConfig("redis://127.0.0.1:" + port, null, "outage");
    RedisConnection connection = RedisConnection.open(vertx, config).await();
    RedisInvalidations invalidations = RedisInvalidations.start(vertx, connection).await();
    List<String> heard = new CopyOnWriteArrayList<>();
    AtomicInteger resyncs = new AtomicInteger();
    invalidations.on("revoked", heard::add);
    invalidations.onResync(resyncs::incrementAndGet);
    RedisRateLimiter limiter = new RedisRateLimiter(new RedisPipeline(connection::connect), "outage", null, true, new SimpleMeterRegistry());
    Limit two = new Limit(new RateLimitConfig(LimitKey.IP, null, 2, Duration.ofMinutes(1)), "r#0");

    invalidations.publish("revoked", "jti-1 1");
    Eventually.until(() -> heard.contains("jti-1 1"), Duration.ofSeconds(15));
    assertThat(limiter.acquire(two, "k").await().admitted()).isTrue();
    assertThat(limiter.acquire(two, "k").await().admitted()).isTrue();
    assertThat(limiter.acquire(two, "k").await().admitted()).isFalse();

    redis.destroyForcibly().waitFor();
    Eventually.until(() -> !invalidations.isSubscribed(), Duration.ofSeconds(15));
    // Gone: limits fail open (and its counts are gone with it: it kept nothing on disk).
    assertThat(limiter.acquire(two, "k").await().admitted()).isTrue();

    redis = start();
    Eventually.until(invalidations::isSubscribed, Duration.ofSeconds(15));
    Eventually.until(() -> resyncs.get() == 1, Duration.ofSeconds(15));
    invalidations.publish("revoked", "jti-2 2");
    Eventually.until(() -> heard.contains("jti-2 2"), Duration.ofSeconds(15));
    Eventually.until(() -> limiter.acquire(two, "fresh").await().remaining() == 1, Duration.ofSeconds(15));
    assertThat(limiter.acquire(two, "fresh").await().admitted()).isTrue();
    assertThat(limiter.acquire(two, "fresh").await().admitted()).isFalse();
    invalidations.close();
    connection.close();
  }

  @Test
  void whileRedisIsGoneSessionsAreRefusedWith503LimitsAdmitAndBothResumeWhenItReturns() throws Exception {
    byte[] masterKey = new byte[32];
    new SecureRandom().nextBytes(masterKey);
    try (PostgresDatabase database = PostgresDatabase.create();
        GatehouseFixture a = instance("a", masterKey, database);
        GatehouseFixture b = instance("b", masterKey, database)) {
      assertThat(post(a, "/auth/signup").statusCode()).isEqualTo(201);
      String session = "Bearer " + new JsonObject(post(a, "/auth/login").body()).getString("session_token");
      assertThat(b.get("/api/x", "Authorization", session).statusCode()).isEqualTo(200);

      redis.destroyForcibly().waitFor();
      for (GatehouseFixture on : List.of(a, b)) {
        // A session checked a moment ago counts as checked for half a second (RecentSessions); no longer.
        Eventually.until(() -> on.get("/api/x", "Authorization", session).statusCode() != 200, Duration.ofSeconds(15));
        HttpResponse<String> refused = on.get("/api/x", "Authorization", session);
        assertThat(refused.statusCode()).as("a session that cannot be checked is not let through").isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(refused.body()).doesNotContain("Redis", "127.0.0.1", "Exception");
        assertThat(post(on, "/auth/login").statusCode()).as("a session that cannot be stored is not handed out")
            .isEqualTo(503);
        assertThat(on.get("/limited/x").statusCode()).as("limits fail open").isEqualTo(200);
        Eventually.until(() -> status(on, "/health/ready") == 503, Duration.ofSeconds(15));
        assertThat(on.send(HttpRequest.newBuilder(on.management("/metrics")).build()).body())
            .contains("gatehouse_redis_up 0.0", "gatehouse_redis_subscribed 0.0")
            .containsPattern("gatehouse_redis_store_failures_total [1-9]")
            .containsPattern("gatehouse_ratelimit_store_failures_total [1-9]");
      }

      redis = start();
      for (GatehouseFixture on : List.of(a, b)) {
        Eventually.until(() -> status(on, "/health/ready") == 200, Duration.ofSeconds(15));
        // It kept nothing on disk: the old session is gone everywhere.
        Eventually.until(() -> on.get("/api/x", "Authorization", session).statusCode() == 401, Duration.ofSeconds(15));
      }
      String again = "Bearer " + new JsonObject(post(b, "/auth/login").body()).getString("session_token");
      assertThat(a.get("/api/x", "Authorization", again).statusCode()).as("shared again").isEqualTo(200);
    }
  }

  @Test
  void aPasswordChangeThatCannotEndTheOtherSessionsChangesNothing() throws Exception {
    byte[] masterKey = new byte[32];
    new SecureRandom().nextBytes(masterKey);
    // Standing still, the clock keeps the session checked (RecentSessions) once Redis is gone, so
    // the change itself is what meets the outage.
    MutableClock clock = new MutableClock(Instant.now());
    try (PostgresDatabase database = PostgresDatabase.create();
        GatehouseFixture a = instance("a", masterKey, database, clock)) {
      assertThat(post(a, "/auth/signup").statusCode()).isEqualTo(201);
      String session = "Bearer " + new JsonObject(post(a, "/auth/login").body()).getString("session_token");
      assertThat(a.get("/api/x", "Authorization", session).statusCode()).isEqualTo(200);

      redis.destroyForcibly().waitFor();
      HttpResponse<String> change = a.send(HttpRequest.newBuilder(a.http("/auth/password"))
          .header("Content-Type", "application/json").header("Authorization", session)
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("current_password",
              "correct horse battery staple").put("new_password", "a brand new pass phrase").encode())).build());
      assertThat(change.statusCode()).as("the other sessions could not be ended").isEqualTo(503);

      redis = start();
      Eventually.until(() -> status(a, "/health/ready") == 200, Duration.ofSeconds(15));
      // (The first calls after a restart may still meet the old connection's end.)
      assertThat(Eventually.read(() -> post(a, "/auth/login").statusCode(), status -> status != 503,
          Duration.ofSeconds(15))).as("a 503 changed nothing: the old password still signs in").isEqualTo(200);
    }
  }

  private GatehouseFixture instance(String name, byte[] masterKey, PostgresDatabase database) throws Exception {
    return instance(name, masterKey, database, Clock.systemUTC());
  }

  /** An instance on {@code database} and the test's Redis, on {@code clock}; instances share the master key. */
  private GatehouseFixture instance(String name, byte[] masterKey, PostgresDatabase database, Clock clock)
      throws Exception {
    Path data = Files.createDirectories(dir.resolve(name));
    Files.writeString(data.resolve("master.key"), Base64.getEncoder().encodeToString(masterKey));
    return GatehouseFixture.startRaw(data, """
        server: { http: { host: 127.0.0.1, port: 0 }, https: { enabled: false } }
        management: { host: 127.0.0.1, port: 0 }
        store:
          embedded: { path: "${DATA}" }
          postgres: { url: "${PG_URL}", user: "${PG_USER}" }
          redis: { url: "redis://127.0.0.1:${PORT}", prefix: outage }
        routes:
          - { id: api, path: /api/**, respond: { body: ok }, auth: [session] }
          - { id: limited, path: /limited/**, respond: { body: ok }, auth: [none], rate_limit: { key: ip, limit: 1000, per: 1m } }
        """, Map.of("PORT", Integer.toString(port), "PG_URL", database.url(), "PG_USER", database.user()), clock);
  }

  private static HttpResponse<String> post(GatehouseFixture on, String path) throws Exception {
    return on.send(HttpRequest.newBuilder(on.http(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            new JsonObject().put("username", "outage-user").put("password", "correct horse battery staple").encode()))
        .build());
  }

  private static int status(GatehouseFixture on, String managementPath) {
    try {
      return on.send(HttpRequest.newBuilder(on.management(managementPath)).build()).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
