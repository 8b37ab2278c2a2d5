package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.support.Eventually;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.PostgresDatabase;
import io.gatehouse.support.RedisServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Gatehouse instances on one PostgreSQL database (a fresh one per run) act as one for what
 * lives there: accounts, sessions, refresh tokens, clients and signing keys. What the instances
 * still keep to themselves (revocation lists, rate-limit counts) comes with Redis.
 */
class SharedStoreIT {

  static final String PASSWORD = "correct horse battery staple";

  @TempDir
  static Path dir;
  static PostgresDatabase database;
  static GatehouseFixture a;
  static GatehouseFixture b;
  static String prefix;

  @BeforeAll
  static void start() throws Exception {
    database = PostgresDatabase.create();
    // The master key every instance shares (GATEHOUSE_MASTER_KEY in production).
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String masterKey = Base64.getEncoder().encodeToString(key);
    prefix = RedisServer.freshPrefix();
    a = instance("a", masterKey);
    b = instance("b", masterKey);
  }

  private static GatehouseFixture instance(String name, String masterKey) throws Exception {
    Path data = Files.createDirectories(dir.resolve(name));
    Files.writeString(data.resolve("master.key"), masterKey);
    return GatehouseFixture.startRaw(data, """
        server: { http: { host: 127.0.0.1, port: 0 }, https: { enabled: false } }
        management: { host: 127.0.0.1, port: 0 }
        store:
          embedded: { path: "${DATA}" }
          postgres: { url: "${PG_URL}", user: "${PG_USER}" }
          redis: { url: "${REDIS_URL}", prefix: "${PREFIX}" }
        signup: { default_roles: [admin] }
        rate_limits: { login_failures: { address: 1000 }, token_failures: { address: 1000 } }   # every test comes from 127.0.0.1
        routes:
          - { id: api, path: /api/**, respond: { body: ok }, auth: [jwt, session] }
          - { id: limited, path: /limited/**, respond: { body: ok }, auth: [none], rate_limit: { key: route, limit: 100, per: 1m } }
        """, Map.of("PG_URL", database.url(), "PG_USER", database.user(), "REDIS_URL", RedisServer.url(),
        "PREFIX", prefix));
  }

  @AfterAll
  static void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void anAccountMadeOnOneInstanceLogsInOnTheOtherAndItsSessionEndsEverywhere() throws Exception {
    assertThat(post(a, "/auth/signup", json("shared-user"), null).statusCode()).isEqualTo(201);
    assertThat(post(b, "/auth/signup", json("Shared-User"), null).statusCode()).as("one name, both instances")
        .isEqualTo(409);
    JsonObject login = new JsonObject(post(b, "/auth/login", json("shared-user"), null).body());
    String session = login.getString("session_token");
    assertThat(a.get("/auth/session", "Authorization", "Bearer " + session).statusCode()).isEqualTo(200);
    assertThat(a.get("/api/x", "Authorization", "Bearer " + session).statusCode()).isEqualTo(200);
    // The access token B signed is good on A: one signing key, one JWKS.
    assertThat(a.get("/api/x", "Authorization", "Bearer " + login.getString("access_token")).statusCode())
        .isEqualTo(200);
    assertThat(post(b, "/auth/logout", "", "Bearer " + session).statusCode()).isEqualTo(204);
    assertThat(Eventually.until(() ->
        a.get("/auth/session", "Authorization", "Bearer " + session).statusCode() == 401, Duration.ofSeconds(5)).toMillis())
        .as("A heard of the logout").isLessThan(1000);
  }

  @Test
  void aLimitOf100SharedByBothInstancesLetsExactly100Through() throws Exception {
    var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
    for (int i = 0; i < 160; i++) {
      GatehouseFixture on = i % 2 == 0 ? a : b;
      futures.add(on.client().sendAsync(HttpRequest.newBuilder(on.http("/limited/" + i)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    long admitted = futures.stream().map(java.util.concurrent.CompletableFuture::join)
        .filter(r -> r.statusCode() == 200).count();
    assertThat(admitted).isEqualTo(100);
    HttpResponse<String> refused = b.get("/limited/more");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");
    assertThat(a.send(HttpRequest.newBuilder(a.management("/health/ready")).build()).body()).contains("redis");
    assertThat(a.send(HttpRequest.newBuilder(a.management("/metrics")).build()).body())
        .contains("gatehouse_redis_up 1.0");
  }

  @Test
  void aTokenRevokedOnOneInstanceIsRefusedOnTheOtherWithinASecond() throws Exception {
    post(a, "/auth/signup", json("revoking-user"), null);
    JsonObject login = new JsonObject(post(a, "/auth/login", json("revoking-user"), null).body());
    String access = "Bearer " + login.getString("access_token");
    assertThat(a.get("/api/x", "Authorization", access).statusCode()).isEqualTo(200);
    // Revoking the refresh token on B revokes its family and the access token issued with it.
    HttpResponse<String> revoked = b.send(HttpRequest.newBuilder(b.http("/oauth2/revoke"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("client_id=gatehouse&token=" + login.getString("refresh_token")))
        .build());
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(b.get("/api/x", "Authorization", access).statusCode()).isEqualTo(401);
    assertThat(Eventually.until(() ->
        a.get("/api/x", "Authorization", access).statusCode() == 401, Duration.ofSeconds(5)).toMillis()).isLessThan(1000);
  }

  @Test
  void aKeyRotatedOnOneInstanceIsPublishedByTheOtherWithinASecond() throws Exception {
    post(a, "/auth/signup", json("key-admin"), null);
    String admin = new JsonObject(post(a, "/auth/login", json("key-admin"), null).body()).getString("session_token");
    String before = b.get("/oauth2/jwks").body();
    HttpResponse<String> rotated = a.send(HttpRequest.newBuilder(a.management("/admin/keys/rotate"))
        .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(rotated.statusCode()).isBetween(200, 204);
    String after = a.get("/oauth2/jwks").body();
    assertThat(after).isNotEqualTo(before);
    assertThat(Eventually.until(() ->
        b.get("/oauth2/jwks").body().equals(after), Duration.ofSeconds(5)).toMillis()).isLessThan(1000);
    // A token signed by A's new key is good on B.
    String token = new JsonObject(post(a, "/auth/login", json("key-admin"), null).body()).getString("access_token");
    assertThat(b.get("/api/x", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
  }

  @Test
  void aSessionRevokedOrAUserDisabledOnOneInstanceIsRefusedOnTheOtherWithinASecond() throws Exception {
    post(a, "/auth/signup", json("session-admin"), null);
    String admin = "Bearer " + new JsonObject(post(a, "/auth/login", json("session-admin"), null).body())
        .getString("session_token");
    post(a, "/auth/signup", json("session-owner"), null);
    String first = "Bearer " + new JsonObject(post(b, "/auth/login", json("session-owner"), null).body())
        .getString("session_token");
    String second = "Bearer " + new JsonObject(post(b, "/auth/login", json("session-owner"), null).body())
        .getString("session_token");
    String userId = new JsonObject(b.get("/auth/session", "Authorization", first).body()).getJsonObject("user")
        .getString("id");
    assertThat(b.get("/api/x", "Authorization", first).statusCode()).isEqualTo(200);
    assertThat(b.get("/api/x", "Authorization", second).statusCode()).isEqualTo(200);

    // The user's sessions, listed on A from the per-user index; the first revoked there.
    HttpResponse<String> listed = a.send(HttpRequest.newBuilder(a.management("/admin/sessions?user_id=" + userId))
        .header("Authorization", admin).build());
    assertThat(listed.statusCode()).isEqualTo(200);
    var sessions = new JsonObject(listed.body()).getJsonArray("items");
    assertThat(sessions.size()).isEqualTo(2);
    String newest = sessions.getJsonObject(0).getString("id");
    assertThat(a.send(HttpRequest.newBuilder(a.management("/admin/sessions/" + newest)).header("Authorization", admin)
        .DELETE().build()).statusCode()).isBetween(200, 204);
    assertThat(Eventually.until(() ->
        b.get("/api/x", "Authorization", second).statusCode() == 401, Duration.ofSeconds(5)).toMillis()).isLessThan(1000);
    assertThat(b.get("/api/x", "Authorization", first).statusCode()).isEqualTo(200);

    // The user disabled on A: its last session stops on B.
    assertThat(a.send(HttpRequest.newBuilder(a.management("/admin/users/" + userId)).header("Authorization", admin)
        .header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"disabled\":true}")).build()).statusCode())
        .isEqualTo(200);
    assertThat(Eventually.until(() ->
        b.get("/api/x", "Authorization", first).statusCode() == 401, Duration.ofSeconds(5)).toMillis()).isLessThan(1000);
  }

  @Test
  void twoInstancesStartingTogetherOnAnEmptyDatabaseAgreeOnTheirKeys() throws Exception {
    try (PostgresDatabase empty = PostgresDatabase.create()) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      String masterKey = Base64.getEncoder().encodeToString(key);
      String prefix = RedisServer.freshPrefix();
      var startingC = java.util.concurrent.CompletableFuture.supplyAsync(() -> startQuietly("c", masterKey, empty, prefix));
      var startingD = java.util.concurrent.CompletableFuture.supplyAsync(() -> startQuietly("d", masterKey, empty, prefix));
      try (GatehouseFixture c = startingC.join(); GatehouseFixture d = startingD.join()) {
        assertThat(Eventually.until(() ->
            c.get("/oauth2/jwks").body().equals(d.get("/oauth2/jwks").body()), Duration.ofSeconds(5)).toMillis())
            .isLessThan(2000);
        assertThat(post(c, "/auth/signup", json("early-bird"), null).statusCode()).isEqualTo(201);
        String fromC = new JsonObject(post(c, "/auth/login", json("early-bird"), null).body()).getString("access_token");
        String fromD = new JsonObject(post(d, "/auth/login", json("early-bird"), null).body()).getString("access_token");
        assertThat(d.get("/api/x", "Authorization", "Bearer " + fromC).statusCode()).isEqualTo(200);
        assertThat(c.get("/api/x", "Authorization", "Bearer " + fromD).statusCode()).isEqualTo(200);
      }
    }
  }

  private static GatehouseFixture startQuietly(String name, String masterKey, PostgresDatabase on, String prefix) {
    try {
      Path data = Files.createDirectories(dir.resolve(name));
      Files.writeString(data.resolve("master.key"), masterKey);
      return GatehouseFixture.startRaw(data, """
          server: { http: { host: 127.0.0.1, port: 0 }, https: { enabled: false } }
          management: { enabled: false }
          store:
            embedded: { path: "${DATA}" }
            postgres: { url: "${PG_URL}", user: "${PG_USER}" }
            redis: { url: "${REDIS_URL}", prefix: "${PREFIX}" }
          routes:
            - { id: api, path: /api/**, respond: { body: ok }, auth: [jwt] }
          """, Map.of("PG_URL", on.url(), "PG_USER", on.user(), "REDIS_URL", RedisServer.url(), "PREFIX", prefix));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void failedLoginsSpreadOverTheInstancesCountAsOne() throws Exception {
    post(a, "/auth/signup", json("guessed-user"), null);
    String wrong = new JsonObject().put("username", "guessed-user").put("password", "a wrong guess").encode();
    for (int i = 0; i < 6; i++) { // five free failures, then the sixth starts a delay: on whichever instance
      assertThat(post(i % 2 == 0 ? a : b, "/auth/login", wrong, null).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> onA = post(a, "/auth/login", wrong, null);
    HttpResponse<String> onB = post(b, "/auth/login", wrong, null);
    assertThat(onA.statusCode()).isEqualTo(429);
    assertThat(onB.statusCode()).isEqualTo(429);
    assertThat(onB.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void anAccountsUsualAddressIsKnownToEveryInstance() throws Exception {
    post(a, "/auth/signup", json("usual-user"), null);
    assertThat(post(a, "/auth/login", json("usual-user"), null).statusCode()).isEqualTo(200); // its usual address
    String wrong = new JsonObject().put("username", "usual-user").put("password", "a typo").encode();
    for (int i = 0; i < 7; i++) { // beyond the account's five free failures, but from the usual address
      assertThat(post(b, "/auth/login", wrong, null).statusCode()).isEqualTo(401);
    }
    assertThat(post(b, "/auth/login", json("usual-user"), null).statusCode()).isEqualTo(200);
  }

  @Test
  void theJwksIsTheSameOnEveryInstance() throws Exception {
    String onA = a.get("/oauth2/jwks").body();
    assertThat(new JsonObject(onA).getJsonArray("keys")).isNotEmpty();
    assertThat(b.get("/oauth2/jwks").body()).isEqualTo(onA);
  }

  @Test
  void aRefreshTokenRotatedOnOneInstanceAndReplayedOnTheOtherRevokesItsFamily() throws Exception {
    post(a, "/auth/signup", json("rotating-user"), null);
    String refresh = new JsonObject(post(a, "/auth/login", json("rotating-user"), null).body()).getString("refresh_token");
    HttpResponse<String> rotated = refresh(a, refresh);
    assertThat(rotated.statusCode()).isEqualTo(200);
    String next = new JsonObject(rotated.body()).getString("refresh_token");
    HttpResponse<String> replay = refresh(b, refresh);
    assertThat(replay.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(replay.body()).getString("error")).isEqualTo("invalid_grant");
    assertThat(refresh(a, next).statusCode()).as("the family is revoked").isEqualTo(400);
  }

  @Test
  void aStoreThatCannotBeReachedStopsTheStartAndIsNamed() throws Exception {
    var config = new ConfigLoader(Map.of()).parse("""
        server: { http: { host: 127.0.0.1, port: 0 }, https: { enabled: false } }
        management: { enabled: false }
        store:
          embedded: { path: "%s" }
          postgres: { url: "jdbc:postgresql://127.0.0.1:1/gatehouse", user: gatehouse, password: not-this-one }
        """.formatted(dir.resolve("unreachable")), "test.yaml");
    Throwable failure = Gatehouse.start(config, 1, Clock.systemUTC()).<Throwable>map(g -> null).otherwise(e -> e)
        .await();
    assertThat(failure).hasMessageContaining("cannot reach PostgreSQL at 127.0.0.1:1/gatehouse");
    assertThat(failure.getMessage()).doesNotContain("not-this-one");

    var noRedis = new ConfigLoader(Map.of()).parse("""
        server: { http: { host: 127.0.0.1, port: 0 }, https: { enabled: false } }
        management: { enabled: false }
        store:
          embedded: { path: "%s" }
          redis: { url: "redis://127.0.0.1:1", password: not-this-either }
        """.formatted(dir.resolve("no-redis")), "test.yaml");
    Throwable redisFailure = Gatehouse.start(noRedis, 1, Clock.systemUTC()).<Throwable>map(g -> null)
        .otherwise(e -> e).await();
    assertThat(redisFailure).hasMessageContaining("cannot reach Redis at 127.0.0.1:1");
    assertThat(redisFailure.getMessage()).doesNotContain("not-this-either");
  }

  @Test
  void aPasswordChangeOrALogoutOnOneInstanceEndsTheTokensOnTheOtherWithinASecond() throws Exception {
    assertThat(post(a, "/auth/signup", json("follower"), null).statusCode()).isEqualTo(201);
    JsonObject changer = new JsonObject(post(a, "/auth/login", json("follower"), null).body());
    JsonObject other = new JsonObject(post(b, "/auth/login", json("follower"), null).body());
    String access = other.getString("access_token");
    assertThat(b.get("/api/x", "Authorization", "Bearer " + access).statusCode()).as("now cached on B").isEqualTo(200);

    assertThat(post(a, "/auth/password", "{\"current_password\":\"" + PASSWORD
        + "\",\"new_password\":\"a new pass phrase\"}", "Bearer " + changer.getString("session_token")).statusCode())
        .isEqualTo(204);
    assertThat(Eventually.until(() ->
        b.get("/api/x", "Authorization", "Bearer " + access).statusCode() == 401, Duration.ofSeconds(5)).toMillis())
        .as("B refuses the access token issued before the change").isLessThan(1000);
    assertThat(refresh(b, other.getString("refresh_token")).statusCode()).as("its refresh token too").isEqualTo(400);
    assertThat(Eventually.until(() -> b.get("/api/x", "Authorization", "Bearer " + other.getString("session_token"))
        .statusCode() == 401, Duration.ofSeconds(5)).toMillis()).as("B refuses the other session").isLessThan(1000);

    // A logout on B ends what was issued with that session on A, and nothing else.
    JsonObject leaving = new JsonObject(post(a, "/auth/login", "{\"username\":\"follower\",\"password\":"
        + "\"a new pass phrase\"}", null).body());
    JsonObject staying = new JsonObject(post(a, "/auth/login", "{\"username\":\"follower\",\"password\":"
        + "\"a new pass phrase\"}", null).body());
    assertThat(a.get("/api/x", "Authorization", "Bearer " + leaving.getString("access_token")).statusCode())
        .isEqualTo(200);
    assertThat(post(b, "/auth/logout", "", "Bearer " + leaving.getString("session_token")).statusCode()).isEqualTo(204);
    assertThat(Eventually.until(() -> a.get("/api/x", "Authorization", "Bearer " + leaving.getString("access_token"))
        .statusCode() == 401, Duration.ofSeconds(5)).toMillis()).isLessThan(1000);
    assertThat(refresh(a, leaving.getString("refresh_token")).statusCode()).isEqualTo(400);
    assertThat(a.get("/api/x", "Authorization", "Bearer " + staying.getString("access_token")).statusCode())
        .isEqualTo(200);
    assertThat(refresh(a, staying.getString("refresh_token")).statusCode()).isEqualTo(200);
  }

  @Test
  void aClientAssertionSpentOnOneInstanceIsRefusedOnTheOther() throws Exception {
    com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
        .keyID("k1").generate();
    assertThat(post(a, "/auth/signup", json("assertion-admin"), null).statusCode()).isEqualTo(201);
    String admin = new JsonObject(post(a, "/auth/login", json("assertion-admin"), null).body()).getString("session_token");
    HttpResponse<String> created = a.send(HttpRequest.newBuilder(a.management("/admin/clients"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)
        .POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"shared-signer\",\"jwks\":"
            + new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()) + "}")).build());
    assertThat(created.statusCode()).isEqualTo(201);
    com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT assertion = new com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT(
        new com.nimbusds.oauth2.sdk.id.ClientID("shared-signer"), java.net.URI.create("https://localhost:8443"),
        com.nimbusds.jose.JWSAlgorithm.ES256, key.toECPrivateKey(), "k1", null);
    String form = "grant_type=client_credentials&client_assertion_type="
        + java.net.URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            java.nio.charset.StandardCharsets.UTF_8)
        + "&client_assertion=" + assertion.getClientAssertion().serialize();
    assertThat(postForm(a, "/oauth2/token", form).statusCode()).isEqualTo(200);
    assertThat(postForm(b, "/oauth2/token", form).statusCode()).as("replayed on B").isEqualTo(401);
  }

  private static HttpResponse<String> postForm(GatehouseFixture on, String path, String form) throws Exception {
    return on.send(HttpRequest.newBuilder(on.http(path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build());
  }

  @Test
  void fiftyParallelGuessesThroughTwoInstancesAreHeldBackLikeSequentialOnes() throws Exception {
    post(a, "/auth/signup", json("raced-user"), null);
    String wrong = new JsonObject().put("username", "raced-user").put("password", "a wrong guess").encode();
    var logins = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
    var secrets = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
    String basic = "Basic " + Base64.getEncoder().encodeToString("raced-client:wrong".getBytes());
    for (int i = 0; i < 50; i++) {
      GatehouseFixture on = i % 2 == 0 ? a : b;
      logins.add(on.client().sendAsync(HttpRequest.newBuilder(on.http("/auth/login"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(wrong)).build(),
          HttpResponse.BodyHandlers.ofString()));
      secrets.add(on.client().sendAsync(HttpRequest.newBuilder(on.http("/oauth2/token"))
          .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", basic)
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    assertThat(logins.stream().map(java.util.concurrent.CompletableFuture::join).filter(r -> r.statusCode() == 401)
        .count()).as("the account's five free failures and the one that starts the delay").isEqualTo(6);
    assertThat(secrets.stream().map(java.util.concurrent.CompletableFuture::join).filter(r -> r.statusCode() == 401)
        .count()).as("the client's ten free failures and the one that starts the delay").isEqualTo(11);
  }

  private static String json(String username) {
    return new JsonObject().put("username", username).put("password", PASSWORD).encode();
  }

  private static HttpResponse<String> refresh(GatehouseFixture on, String token) throws Exception {
    return on.send(HttpRequest.newBuilder(on.http("/oauth2/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id=gatehouse&refresh_token=" + token))
        .build());
  }

  private static HttpResponse<String> post(GatehouseFixture on, String path, String body, String bearer)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(on.http(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      request.header("Authorization", bearer);
    }
    return on.send(request.build());
  }
}
