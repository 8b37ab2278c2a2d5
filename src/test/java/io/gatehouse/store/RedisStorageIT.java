package io.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.identity.Session;
import io.gatehouse.oauth.AuthorizationCode;
import io.gatehouse.oauth.RefreshToken;
import io.gatehouse.support.LogCapture;
import io.gatehouse.support.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage contract with sessions, refresh tokens and authorization codes in the machine's
 * Redis (a fresh key prefix per test, over an embedded SQLite store); how long Redis keeps each of
 * them; and what the stores do while Redis does not answer. The stores count expiries from a clock
 * fixed at {@link #T0}, so each key's remaining time is known to the millisecond.
 */
class RedisStorageIT extends StorageContract {

  private static final Duration IDLE = Duration.ofMinutes(30);

  @TempDir
  Path dir;

  private RedisConnection redis;
  private String prefix;

  @Override
  Storage open(Vertx vertx) {
    prefix = RedisServer.freshPrefix();
    redis = RedisConnection.open(vertx, RedisServer.config(prefix)).await();
    return RedisStorage.over(SqlStorage.embedded(vertx, dir), redis, IDLE, Clock.fixed(T0, ZoneOffset.UTC));
  }

  @AfterEach
  void deleteKeys() {
    if (redis != null) {
      RedisServer.deleteKeys(redis.api(), prefix);
      redis.close();
    }
  }

  /** Milliseconds Redis still keeps {@code key} (under the test's prefix). */
  private long pttl(String key) {
    return redis.api().pttl(prefix + ":" + key).await().toLong();
  }

  @Test
  void aSessionIsKeptUntilItsIdleOrAbsoluteEndWhicheverComesFirst() {
    store.users().insert(user("u1", "alice")).await();
    store.sessions().insert(new Session("s1", "u1", T0, T0, T0.plusSeconds(3600), List.of("pwd", "otp"))).await();
    assertThat(pttl("session:s1")).as("idle end").isBetween(1_799_000L, 1_800_000L);
    assertThat(pttl("user-sessions:u1")).as("the index lasts as long as the longest session").isBetween(3_599_000L, 3_600_000L);

    store.sessions().touch("s1", T0.plusSeconds(600)).await();
    assertThat(pttl("session:s1")).as("idle end moved on").isBetween(2_399_000L, 2_400_000L);
    store.sessions().touch("s1", T0.plusSeconds(3000)).await();
    assertThat(pttl("session:s1")).as("never past the absolute end").isBetween(3_599_000L, 3_600_000L);
  }

  @Test
  void anIndexEntryWhoseSessionExpiredIsDroppedWhenListed() {
    store.sessions().insert(new Session("s1", "u1", T0, T0, T0.plusSeconds(3600), List.of("pwd", "otp"))).await();
    store.sessions().insert(new Session("s2", "u1", T0, T0, T0.plusSeconds(3600), List.of("pwd"))).await();
    redis.api().del(List.of(prefix + ":session:s1")).await(); // as Redis does when its time is up

    assertThat(store.sessions().forUser("u1").await()).extracting(Session::tokenHash).containsExactly("s2");
    assertThat(redis.api().zcard(prefix + ":user-sessions:u1").await().toInteger()).isEqualTo(1);
    assertThat(store.sessions().deleteForUser("u1", null).await()).isEqualTo(1);
    assertThat(redis.api().exists(List.of(prefix + ":user-sessions:u1")).await().toInteger()).isZero();
  }

  @Test
  void refreshTokensLastAsLongAsTheirFamilyAndCodesAnHourPastTheirExpiry() {
    store.refreshTokens().insert(new RefreshToken("rt-0", "fam-1", "app", "u1", List.of("openid", "profile"), "jti-0",
        T0.plusSeconds(600), T0, T0.plus(30, ChronoUnit.DAYS), null, null, null, List.of())).await();
    long thirtyDays = Duration.ofDays(30).toMillis();
    assertThat(pttl("refresh:rt-0")).isBetween(thirtyDays - 1000, thirtyDays);
    assertThat(pttl("refresh-family:fam-1")).isBetween(thirtyDays - 1000, thirtyDays);
    assertThat(store.refreshTokens().byHash("rt-0").await().orElseThrow().scopes()).containsExactly("openid", "profile");

    store.authorizationCodes().insert(new AuthorizationCode("code-1", "app", "u1", "https://app.example/cb", List.of(),
        null, T0, T0.plusSeconds(60), null, null, null, null, new AuthorizationCode.SignIn(null, T0, "sid-1"))).await();
    assertThat(pttl("code:code-1")).isBetween(3_659_000L, 3_660_000L);
    assertThat(store.authorizationCodes().byHash("code-1").await().orElseThrow().codeChallenge()).isNull();
    assertThat(store.authorizationCodes().byHash("code-1").await().orElseThrow().scopes()).isEmpty();
  }

  @Test
  void whileRedisDoesNotAnswerEveryCallIsRefusedWith503AndTheOutageLoggedOnce() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FailClosedRedis nowhere = new FailClosedRedis(
        new RedisPipeline(() -> Future.failedFuture(new ConnectException("Connection refused"))), registry);
    RedisSessionStore sessions = new RedisSessionStore(nowhere, prefix, IDLE, Clock.fixed(T0, ZoneOffset.UTC));
    RedisRefreshTokenStore refreshTokens = new RedisRefreshTokenStore(nowhere, prefix, Clock.systemUTC());
    RedisAuthorizationCodeStore codes = new RedisAuthorizationCodeStore(nowhere, prefix, Clock.systemUTC());
    try (LogCapture log = new LogCapture(FailClosedRedis.class.getName())) {
      for (Future<?> call : List.of(sessions.byTokenHash("s1"), sessions.insert(new Session("s1", "u1", T0, T0, T0, List.of("pwd"))),
          sessions.deleteForUser("u1", null), refreshTokens.markUsed("rt-0", T0), refreshTokens.revokeFamily("f", T0),
          codes.markUsed("code-1", T0, new io.gatehouse.oauth.AuthorizationCodeStore.Issued("j", T0, null)),
          codes.byHash("code-1"))) {
        assertThat(failureOf(call)).isInstanceOfSatisfying(StoreUnavailable.class,
            e -> assertThat(e.retryAfterSeconds()).isEqualTo(5));
      }
      assertThat(registry.get("gatehouse.redis.store.failures").counter().count()).isEqualTo(7);
      assertThat(log.raw()).hasSize(1);
      assertThat(log.raw().get(0)).contains("Redis does not answer");
    }
  }

  /** A session stored before device and address were recorded reads back without them. */
  @Test
  void aSessionStoredWithoutDeviceOrAddressIsStillRead() {
    redis.api().hset(List.of(prefix + ":session:s1", "user", "u1", "created", "1000", "seen", "2000",
        "expires", "3000", "amr", "pwd otp")).await();
    redis.api().zadd(List.of(prefix + ":user-sessions:u1", "1000", "s1")).await();
    Session stored = new Session("s1", "u1", Instant.ofEpochMilli(1000), Instant.ofEpochMilli(2000),
        Instant.ofEpochMilli(3000), List.of("pwd", "otp"));

    assertThat(store.sessions().byTokenHash("s1").await()).contains(stored);
    assertThat(store.sessions().forUser("u1").await()).containsExactly(stored);
  }

  /** Redis holds hostile-looking values as they are: no field or key of another is reached. */
  @Test
  void valuesWithSeparatorsAndScriptCharactersComeBackAsStored() {
    String hostile = "u1 ' \" \\ ]] -- end:* \u0000 é";
    store.sessions().insert(new Session("s:*", hostile, T0, T0, T0.plusSeconds(60), List.of("pwd"))).await();
    assertThat(store.sessions().byTokenHash("s:*").await().orElseThrow().userId()).isEqualTo(hostile);
    assertThat(store.sessions().forUser(hostile).await()).extracting(Session::tokenHash).containsExactly("s:*");
    assertThat(store.sessions().byTokenHash("s:").await()).isEmpty();
    assertThat(store.sessions().delete("s:*").await()).isTrue();
  }

  @Test
  void aStoreOfItsOwnRedisConnectionLeavesTheSharedOneOpen() {
    store.close();
    store = null;
    RedisAPI api = redis.api();
    assertThat(api.ping(List.of()).await().toString()).isEqualTo("PONG");
  }
}
