package io.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.gatehouse.identity.ApiKey;
import io.gatehouse.identity.SecretTokens;
import io.gatehouse.identity.Session;
import io.gatehouse.identity.User;
import io.gatehouse.identity.UsernameTakenException;
import io.gatehouse.keys.StoredKey;
import io.gatehouse.oauth.AuthorizationCode;
import io.gatehouse.oauth.AuthorizationCodeStore;
import io.gatehouse.oauth.ClientIdTakenException;
import io.gatehouse.oauth.OAuthClient;
import io.gatehouse.oauth.AccessTokens;
import io.gatehouse.oauth.AuthorizationCodes;
import io.gatehouse.oauth.IdTokens;
import io.gatehouse.oauth.InvalidGrant;
import io.gatehouse.oauth.RefreshToken;
import io.gatehouse.oauth.RefreshTokens;
import io.gatehouse.oauth.TokenRevocations;
import io.gatehouse.observability.AuditEvent;
import io.gatehouse.identity.passkey.Passkey;
import io.gatehouse.identity.passkey.PasskeyStore;
import io.gatehouse.identity.passkey.WebAuthnChallenge;
import io.gatehouse.support.AllAtOnce;
import io.gatehouse.identity.PendingSignIn;
import io.gatehouse.identity.TotpFactor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Storage} must do, whatever its database: run against the embedded SQLite
 * store and against PostgreSQL by its subclasses, so the two cannot drift apart. Times are kept to
 * the millisecond, and far beyond 2038 (epoch milliseconds do not fit 32 bits).
 */
abstract class StorageContract {

  static final Instant T0 = Instant.parse("2026-11-30T10:00:00.123Z");

  Vertx vertx;
  Storage store;

  /** Opens a fresh, empty store. */
  abstract Storage open(Vertx vertx);

  @BeforeEach
  void openStore() {
    vertx = Vertx.vertx();
    store = open(vertx);
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
    vertx.close().await();
  }

  static User user(String id, String name) {
    return new User(id, name, name.toLowerCase(), name + "@example.com", List.of("user", "editor"), false,
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", T0, T0);
  }

  static Throwable failureOf(Future<?> future) {
    return future.<Throwable>map(ok -> null).otherwise(e -> e).await();
  }

  @Test
  void users() {
    assertThat(store.users().count().await()).isZero();
    store.users().insert(user("u1", "Alice")).await();
    store.users().insert(user("u2", "bob")).await();
    assertThat(failureOf(store.users().insert(user("u3", "ALICE")))).isInstanceOf(UsernameTakenException.class);
    assertThat(failureOf(store.users().insert(user("u1", "carol")))).isInstanceOf(UsernameTakenException.class);
    User alice = store.users().byUsernameKey("alice").await().orElseThrow();
    assertThat(alice).isEqualTo(user("u1", "Alice"));
    assertThat(store.users().byId("u2").await()).isPresent();
    assertThat(store.users().byId("nobody").await()).isEmpty();
    assertThat(store.users().count().await()).isEqualTo(2);
    assertThat(store.users().list().await()).extracting(User::id).containsExactlyInAnyOrder("u1", "u2");

    Instant later = T0.plusSeconds(60);
    assertThat(store.users().setPasswordHash("u1", "new-hash", later).await()).isTrue();
    assertThat(store.users().replacePasswordHash("u1", "stale-hash", "other", later).await()).isFalse();
    assertThat(store.users().replacePasswordHash("u1", "new-hash", "rehashed", later).await()).isTrue();
    assertThat(store.users().setDisabled("u1", true, later).await()).isTrue();
    assertThat(store.users().setRoles("u1", List.of("admin"), later).await()).isTrue();
    User changed = store.users().byId("u1").await().orElseThrow();
    assertThat(changed.passwordHash()).isEqualTo("rehashed");
    assertThat(changed.disabled()).isTrue();
    assertThat(changed.roles()).containsExactly("admin");
    assertThat(changed.updatedAt()).isEqualTo(later);
    assertThat(store.users().setRoles("nobody", List.of(), later).await()).isFalse();
    assertThat(store.users().delete("u2").await()).isTrue();
    assertThat(store.users().delete("u2").await()).isFalse();
  }

  @Test
  void aSessionKeepsTheDeviceAndAddressItStartedFrom() {
    String device = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0 é";
    store.users().insert(user("u1", "alice")).await();
    Session known = new Session("s1", "u1", T0, T0, T0.plusSeconds(3600), List.of("pwd"), device, "2001:db8::7");
    Session unknown = new Session("s2", "u1", T0.plusSeconds(1), T0.plusSeconds(1), T0.plusSeconds(3600), List.of("pwd"));
    store.sessions().insert(known).await();
    store.sessions().insert(unknown).await();

    assertThat(store.sessions().byTokenHash("s1").await()).contains(known);
    assertThat(store.sessions().byTokenHash("s2").await().orElseThrow())
        .extracting(Session::device, Session::address).containsExactly(null, null);
    assertThat(store.sessions().forUser("u1").await()).containsExactly(unknown, known);
    store.sessions().touch("s1", T0.plusSeconds(120)).await();
    assertThat(store.sessions().byTokenHash("s1").await()).contains(known.seenAt(T0.plusSeconds(120)));
  }

  @Test
  void sessionsAreListedNewestFirstAndEndedByUser() {
    store.users().insert(user("u1", "alice")).await();
    store.users().insert(user("u2", "bob")).await();
    store.sessions().insert(new Session("s1", "u1", T0, T0, T0.plusSeconds(3600), List.of("pwd", "otp"))).await();
    store.sessions().insert(new Session("s2", "u1", T0.plusSeconds(1), T0.plusSeconds(1), T0.plusSeconds(3600), List.of("pwd"))).await();
    store.sessions().insert(new Session("s3", "u2", T0, T0, T0.plusSeconds(10), List.of("pwd"))).await();
    assertThat(store.sessions().byTokenHash("s1").await()).contains(new Session("s1", "u1", T0, T0, T0.plusSeconds(3600), List.of("pwd", "otp")));
    store.sessions().touch("s1", T0.plusSeconds(30)).await();
    assertThat(store.sessions().byTokenHash("s1").await().orElseThrow().lastSeenAt()).isEqualTo(T0.plusSeconds(30));
    store.sessions().touch("s1", T0.plusSeconds(20)).await();
    assertThat(store.sessions().byTokenHash("s1").await().orElseThrow().lastSeenAt())
        .as("never moved back").isEqualTo(T0.plusSeconds(30));
    assertThat(store.sessions().forUser("u1").await()).extracting(Session::tokenHash).containsExactly("s2", "s1");
    assertThat(store.sessions().deleteForUser("u1", "s2").await()).isEqualTo(1);
    assertThat(store.sessions().forUser("u1").await()).extracting(Session::tokenHash).containsExactly("s2");
    assertThat(store.sessions().forUser("u2").await()).extracting(Session::tokenHash).containsExactly("s3");
    assertThat(store.sessions().delete("s2").await()).isTrue();
    assertThat(store.sessions().delete("s2").await()).isFalse();
    assertThat(store.sessions().byTokenHash("s2").await()).isEmpty();
    assertThat(store.sessions().forUser("u1").await()).isEmpty();
    assertThat(store.sessions().deleteForUser("u2", null).await()).isEqualTo(1);
    assertThat(store.sessions().byTokenHash("s3").await()).isEmpty();
  }

  @Test
  void apiKeys() {
    store.users().insert(user("u1", "alice")).await();
    ApiKey userKey = new ApiKey("0123456789ab", "hash-1", "u1", null, List.of("reader"), List.of("books:read"), T0,
        T0.plus(30, ChronoUnit.DAYS), null, null);
    ApiKey serviceKey = new ApiKey("ba9876543210", "hash-2", null, "batch", List.of(), List.of(), T0, null, null, null);
    store.apiKeys().insert(userKey).await();
    store.apiKeys().insert(serviceKey).await();
    assertThat(store.apiKeys().byId("0123456789ab").await()).contains(userKey);
    assertThat(store.apiKeys().list().await()).hasSize(2);
    store.apiKeys().touch("ba9876543210", T0.plusSeconds(5)).await();
    assertThat(store.apiKeys().byId("ba9876543210").await().orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(store.apiKeys().revoke("0123456789ab", T0.plusSeconds(9)).await()).isTrue();
    assertThat(store.apiKeys().byId("0123456789ab").await().orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(9));
    assertThat(store.apiKeys().revoke("nope", T0).await()).isFalse();
  }

  @Test
  void aUserListsAndRevokesOnlyTheirOwnApiKeys() {
    store.users().insert(user("u1", "alice")).await();
    store.users().insert(user("u2", "bob")).await();
    ApiKey older = new ApiKey("aaaaaaaaaaa1", "hash-1", "u1", null, List.of(), List.of(), T0, null, null, null);
    ApiKey newer = new ApiKey("aaaaaaaaaaa2", "hash-2", "u1", null, List.of(), List.of("books:read"), T0.plusSeconds(1),
        null, null, null);
    ApiKey bobs = new ApiKey("bbbbbbbbbbb1", "hash-3", "u2", null, List.of(), List.of(), T0.plusSeconds(2), null, null, null);
    ApiKey service = new ApiKey("ccccccccccc1", "hash-4", null, "batch", List.of(), List.of(), T0, null, null, null);
    for (ApiKey key : List.of(older, newer, bobs, service)) {
      store.apiKeys().insert(key).await();
    }
    assertThat(store.apiKeys().forUser("u1").await()).containsExactly(newer, older);
    assertThat(store.apiKeys().forUser("nobody").await()).isEmpty();

    assertThat(store.apiKeys().revokeOwned("bbbbbbbbbbb1", "u1", T0.plusSeconds(5)).await()).as("bob's key").isFalse();
    assertThat(store.apiKeys().byId("bbbbbbbbbbb1").await()).as("still live").contains(bobs);
    assertThat(store.apiKeys().revokeOwned("ccccccccccc1", "u1", T0.plusSeconds(5)).await()).as("a service's").isFalse();
    assertThat(store.apiKeys().revokeOwned("nope", "u1", T0.plusSeconds(5)).await()).isFalse();

    assertThat(store.apiKeys().revokeOwned("aaaaaaaaaaa1", "u1", T0.plusSeconds(5)).await()).isTrue();
    assertThat(store.apiKeys().revokeOwned("aaaaaaaaaaa1", "u1", T0.plusSeconds(6)).await()).as("already").isFalse();
    assertThat(store.apiKeys().byId("aaaaaaaaaaa1").await().orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(store.apiKeys().forUser("u1").await()).extracting(ApiKey::id, ApiKey::revokedAt)
        .containsExactly(tuple("aaaaaaaaaaa2", null), tuple("aaaaaaaaaaa1", T0.plusSeconds(5)));
  }

  @Test
  void auditEventsNewestFirst() {
    for (int i = 0; i < 5; i++) {
      store.audit().append(new AuditEvent(T0.plusSeconds(i), "login", i % 2 == 0 ? "success" : "failure", "u" + i,
          "198.51.100." + i, "req-" + i, i == 0 ? null : "detail " + i)).await();
    }
    List<AuditEvent> recent = store.audit().recent(3).await();
    assertThat(recent).extracting(AuditEvent::requestId).containsExactly("req-4", "req-3", "req-2");
    assertThat(recent.get(0)).isEqualTo(new AuditEvent(T0.plusSeconds(4), "login", "success", "u4", "198.51.100.4",
        "req-4", "detail 4"));
  }

  @Test
  void signingKeys() {
    StoredKey key = new StoredKey("k1", "ES256", "sealed.jwe.text", T0, T0.plusSeconds(86_400), null);
    store.signingKeys().insert(key).await();
    store.signingKeys().insert(new StoredKey("k2", "EdDSA", "sealed.2", T0, T0, null)).await();
    assertThat(store.signingKeys().list().await()).contains(key).hasSize(2);
    Instant far = Instant.parse("2200-01-01T00:00:00.001Z");
    assertThat(store.signingKeys().update("k1", T0, far).await()).isTrue();
    assertThat(store.signingKeys().list().await()).contains(new StoredKey("k1", "ES256", "sealed.jwe.text", T0, T0, far));
    assertThat(store.signingKeys().delete("k2").await()).isTrue();
    assertThat(store.signingKeys().update("k2", T0, null).await()).isFalse();
  }

  @Test
  void clients() {
    OAuthClient billing = new OAuthClient("billing", "secret-hash", List.of("client_credentials"), List.of("svc:read"),
        List.of("https://api.example"), List.of(), false, T0, null, null);
    OAuthClient app = new OAuthClient("app", null, List.of("authorization_code", "refresh_token"), List.of("openid"),
        List.of(), List.of("https://app.example/cb", "http://127.0.0.1/cb"), true, T0, null, "ES256");
    store.clients().insert(billing).await();
    store.clients().insert(app).await();
    assertThat(failureOf(store.clients().insert(billing))).isInstanceOf(ClientIdTakenException.class);
    assertThat(store.clients().byId("app").await()).contains(app);
    assertThat(store.clients().byId("billing").await().orElseThrow().idTokenSignedResponseAlg())
        .as("OpenID Connect Registration's default").isEqualTo("RS256");
    assertThat(store.clients().list().await()).extracting(OAuthClient::clientId).containsExactlyInAnyOrder("billing", "app");
    assertThat(store.clients().delete("app").await()).isTrue();
    assertThat(store.clients().byId("app").await()).isEmpty();
  }

  @Test
  void revocationsAreIdempotentAndExpire() {
    store.revocations().insert("jti-1", T0.plusSeconds(60)).await();
    store.revocations().insert("jti-1", T0.plusSeconds(60)).await();
    store.revocations().insert("jti-2", T0.plusSeconds(5)).await();
    assertThat(store.revocations().live(T0.plusSeconds(10)).await()).isEqualTo(Map.of("jti-1", T0.plusSeconds(60)));
    assertThat(store.revocations().deleteExpired(T0.plusSeconds(10)).await()).isEqualTo(1);
  }

  @Test
  void refreshTokensAreUsedOnceAndRevokedByFamily() throws Exception {
    store.users().insert(user("u1", "alice")).await();
    for (int i = 0; i < 3; i++) {
      store.refreshTokens().insert(new RefreshToken("rt-" + i, "fam-1", "app", "u1", List.of("openid"), "jti-" + i,
          T0.plusSeconds(600), T0, T0.plus(30, ChronoUnit.DAYS), null, null, "sid-" + (i % 2), List.of("https://api"),
          List.of("pwd", "otp"), T0.minusSeconds(90))).await();
    }
    assertThat(store.refreshTokens().byHash("rt-0").await().orElseThrow().scopes()).containsExactly("openid");
    assertThat(raceOf(() -> store.refreshTokens().markUsed("rt-1", T0.plusSeconds(1)))).isEqualTo(1);
    List<RefreshToken> family = store.refreshTokens().revokeFamily("fam-1", T0.plusSeconds(2)).await();
    assertThat(family).extracting(RefreshToken::accessJti).containsExactlyInAnyOrder("jti-0", "jti-1", "jti-2");
    assertThat(store.refreshTokens().byHash("rt-2").await().orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(2));
    assertThat(store.refreshTokens().markUsed("rt-2", T0.plusSeconds(3)).await()).as("revoked").isFalse();
    assertThat(store.refreshTokens().markUsed("rt-9", T0.plusSeconds(3)).await()).as("unknown").isFalse();
    assertThat(store.refreshTokens().byHash("rt-1").await().orElseThrow().usedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(store.refreshTokens().byHash("rt-0").await().orElseThrow())
        .isEqualTo(new RefreshToken("rt-0", "fam-1", "app", "u1", List.of("openid"), "jti-0", T0.plusSeconds(600), T0,
            T0.plus(30, ChronoUnit.DAYS), null, T0.plusSeconds(2), "sid-0", List.of("https://api"),
            List.of("pwd", "otp"), T0.minusSeconds(90)));
    assertThat(store.refreshTokens().revokeForUser("u1", T0.plusSeconds(9)).await())
        .as("the sign-in comes back with a revocation's tokens too")
        .allSatisfy(t -> assertThat(t.amr()).containsExactly("pwd", "otp"));
    assertThat(store.refreshTokens().revokeFamily("fam-1", T0.plusSeconds(9)).await())
        .as("revoked once, at the first revocation").allSatisfy(t -> assertThat(t.revokedAt()).isEqualTo(T0.plusSeconds(2)));
    assertThat(store.refreshTokens().revokeFamily("fam-none", T0.plusSeconds(9)).await()).isEmpty();
  }

  @Test
  void refreshTokensAreRevokedByUserAndBySessionInWholeFamilies() {
    store.users().insert(user("u1", "alice")).await();
    store.users().insert(user("u2", "bob")).await();
    // Family 1 of u1 has two tokens, issued with session s1; family 2 of u1 came with s2; family 3 is u2's.
    store.refreshTokens().insert(refresh("a", "fam-1", "u1", "s1")).await();
    store.refreshTokens().insert(refresh("b", "fam-1", "u1", "s1")).await();
    store.refreshTokens().insert(refresh("c", "fam-2", "u1", "s2")).await();
    store.refreshTokens().insert(refresh("d", "fam-3", "u2", null)).await();
    assertThat(store.refreshTokens().revokeForSession("s1", T0.plusSeconds(1)).await())
        .extracting(RefreshToken::tokenHash).containsExactlyInAnyOrder("a", "b");
    assertThat(store.refreshTokens().byHash("c").await().orElseThrow().revokedAt()).isNull();
    assertThat(store.refreshTokens().revokeForUser("u1", T0.plusSeconds(2)).await()).as("all the user's tokens")
        .extracting(RefreshToken::tokenHash).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(store.refreshTokens().byHash("a").await().orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(store.refreshTokens().byHash("c").await().orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(2));
    assertThat(store.refreshTokens().byHash("d").await().orElseThrow().revokedAt()).as("another user's").isNull();
    assertThat(store.refreshTokens().markUsed("c", T0.plusSeconds(3)).await()).isFalse();
    assertThat(store.refreshTokens().revokeForUser("nobody", T0).await()).isEmpty();
    assertThat(store.refreshTokens().isFamilyRevoked("fam-1").await()).isTrue();
    assertThat(store.refreshTokens().isFamilyRevoked("fam-3").await()).isFalse();
    assertThat(store.refreshTokens().insert(refresh("e", "fam-2", "u1", "s2")).await())
        .as("nothing joins a revoked family").isFalse();
    assertThat(store.refreshTokens().markUsed("e", T0.plusSeconds(4)).await()).isFalse();
    assertThat(store.refreshTokens().insert(refresh("f", "fam-3", "u2", null)).await()).isTrue();
  }

  @Test
  void refreshTokensAreRevokedByUserAndClientInWholeFamilies() {
    store.users().insert(user("u1", "alice")).await();
    store.users().insert(user("u2", "bob")).await();
    // u1 holds family 1 (two tokens) and 2 for "app", family 3 for "other"; u2 holds family 4 for "app".
    store.refreshTokens().insert(refresh("a", "fam-1", "u1", null)).await();
    store.refreshTokens().insert(refresh("b", "fam-1", "u1", null)).await();
    store.refreshTokens().insert(refresh("c", "fam-2", "u1", "s1")).await();
    store.refreshTokens().insert(new RefreshToken("d", "fam-3", "other", "u1", List.of(), "jti-d", T0.plusSeconds(600),
        T0, T0.plus(30, ChronoUnit.DAYS), null, null, null, List.of())).await();
    store.refreshTokens().insert(refresh("e", "fam-4", "u2", null)).await();
    assertThat(store.refreshTokens().revokeForClient("u1", "app", T0.plusSeconds(1)).await())
        .extracting(RefreshToken::tokenHash).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(store.refreshTokens().byHash("d").await().orElseThrow().revokedAt()).as("another client's").isNull();
    assertThat(store.refreshTokens().byHash("e").await().orElseThrow().revokedAt()).as("another user's").isNull();
    assertThat(store.refreshTokens().isFamilyRevoked("fam-2").await()).isTrue();
    assertThat(store.refreshTokens().insert(refresh("f", "fam-1", "u1", null)).await())
        .as("nothing joins a revoked family").isFalse();
    assertThat(store.refreshTokens().revokeForClient("u1", "nobody", T0).await()).isEmpty();
    assertThat(store.refreshTokens().revokeForClient("nobody", "app", T0).await()).isEmpty();
  }

  private static RefreshToken refresh(String hash, String family, String user, String sid) {
    return new RefreshToken(hash, family, "app", user, List.of(), "jti-" + hash, T0.plusSeconds(600), T0,
        T0.plus(30, ChronoUnit.DAYS), null, null, sid, List.of("https://api"));
  }

  @Test
  void aCutOffMovesOnWhateverTheOrderOfChanges() throws Exception {
    assertThat(store.revocations().cutOff("u1", T0.plusSeconds(10), T0.plusSeconds(700)).await())
        .isEqualTo(T0.plusSeconds(10));
    assertThat(store.revocations().cutOff("u1", T0.plusSeconds(10), T0.plusSeconds(700)).await())
        .as("a second change in the same second moves it one second on").isEqualTo(T0.plusSeconds(11));
    assertThat(store.revocations().cutOff("u1", T0.plusSeconds(5), T0.plusSeconds(600)).await())
        .as("an earlier one too").isEqualTo(T0.plusSeconds(12));
    assertThat(store.revocations().cutOff("u1", T0.plusSeconds(60), T0.plusSeconds(800)).await())
        .as("a later one is itself").isEqualTo(T0.plusSeconds(60));
    store.revocations().cutOff("u2", T0.plusSeconds(1), T0.plusSeconds(100)).await();
    assertThat(store.revocations().cutOffs(T0).await())
        .isEqualTo(Map.of("u1", T0.plusSeconds(60), "u2", T0.plusSeconds(1)));
    assertThat(store.revocations().cutOffs(T0.plusSeconds(100)).await()).isEqualTo(Map.of("u1", T0.plusSeconds(60)));
    assertThat(store.revocations().deleteExpired(T0.plusSeconds(100)).await()).isEqualTo(1);
    assertThat(store.revocations().cutOffs(T0.plusSeconds(799)).await()).containsOnlyKeys("u1");

    // Racing changes each move it on: none is lost.
    java.util.List<Future<java.time.Instant>> racing = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      racing.add(store.revocations().cutOff("u3", T0.plusSeconds(10), T0.plusSeconds(700)));
    }
    Future.all(racing).await();
    assertThat(racing.stream().map(Future::result).distinct().count()).isEqualTo(8);
    assertThat(store.revocations().cutOffs(T0).await()).containsEntry("u3", T0.plusSeconds(17));
  }

  @Test
  void anAssertionIsSpentOnceWhoeverRacesIt() throws Exception {
    assertThat(raceOf(() -> store.spentAssertions().spend("client\njti-1", T0.plusSeconds(60)))).isEqualTo(1);
    assertThat(store.spentAssertions().spend("client\njti-1", T0.plusSeconds(60)).await()).isFalse();
    assertThat(store.spentAssertions().spend("client\njti-2", T0.plusSeconds(60)).await()).isTrue();
    assertThat(store.spentAssertions().deleteExpired(T0.plusSeconds(61)).await()).isEqualTo(2);
  }

  @Test
  void authorizationCodesAreExchangedOnce() throws Exception {
    store.users().insert(user("u1", "alice")).await();
    AuthorizationCode code = new AuthorizationCode("code-1", "app", "u1", "https://app.example/cb", List.of("openid"),
        "challenge", T0, T0.plusSeconds(60), null, null, null, null,
        new AuthorizationCode.SignIn("nonce-1", T0.minusSeconds(5), "sid-1"));
    store.authorizationCodes().insert(code).await();
    assertThat(store.authorizationCodes().byHash("code-1").await()).contains(code);
    AuthorizationCodeStore.Issued issued = new AuthorizationCodeStore.Issued("jti-9", T0.plusSeconds(600), "fam-9");
    assertThat(raceOf(() -> store.authorizationCodes().markUsed("code-1", T0.plusSeconds(1), issued))).isEqualTo(1);
    AuthorizationCode used = store.authorizationCodes().byHash("code-1").await().orElseThrow();
    assertThat(used.usedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(used.accessJti()).isEqualTo("jti-9");
    assertThat(used.refreshFamily()).isEqualTo("fam-9");
    assertThat(store.authorizationCodes().markUsed("code-1", T0.plusSeconds(2),
        new AuthorizationCodeStore.Issued("jti-x", T0, null)).await()).isFalse();
    assertThat(store.authorizationCodes().byHash("code-1").await().orElseThrow().accessJti())
        .as("the loser records nothing").isEqualTo("jti-9");
    assertThat(store.authorizationCodes().isReplayed("code-1").await()).isFalse();
    assertThat(store.authorizationCodes().replayed("code-1", T0.plusSeconds(3)).await().orElseThrow().refreshFamily())
        .isEqualTo("fam-9");
    assertThat(store.authorizationCodes().isReplayed("code-1").await()).isTrue();
    assertThat(store.authorizationCodes().markUsed("code-9", T0.plusSeconds(1), issued).await()).as("unknown").isFalse();
    assertThat(store.authorizationCodes().replayed("code-9", T0).await()).isEmpty();
    assertThat(store.authorizationCodes().byHash("code-9").await()).as("not created by a replay").isEmpty();
  }

  /** The OAuth server's grant machinery over this store, on a clock fixed at {@link #T0}. */
  private record Grants(TokenRevocations revocations, RefreshTokens refreshTokens, AuthorizationCodes codes) {

    static Grants over(Storage store) throws Exception {
      java.time.Clock clock = java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC);
      com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
          .keyID("k1").generate();
      Duration ttl = Duration.ofMinutes(10);
      TokenRevocations revocations = new TokenRevocations(ISSUER, store.revocations(), clock, ttl);
      AccessTokens access = new AccessTokens(ISSUER, () -> key, ttl, revocations, clock);
      IdTokens idTokens = new IdTokens(ISSUER, algorithm -> key, ttl, clock);
      RefreshTokens refresh = new RefreshTokens(store.refreshTokens(), store.users(), access, idTokens, revocations,
          new SecretTokens(), ISSUER, Duration.ofDays(30), clock);
      AuthorizationCodes codes = new AuthorizationCodes(store.authorizationCodes(), store.consents(), store.users(), refresh,
          revocations, new SecretTokens(), idTokens, clock);
      return new Grants(revocations, refresh, codes);
    }

    boolean revoked(Storage store, String jti) {
      return store.revocations().live(T0).await().containsKey(jti);
    }
  }

  static final String ISSUER = "https://issuer.example";
  static final OAuthClient APP = new OAuthClient("app", null, List.of("authorization_code", "refresh_token"),
      List.of("openid"), List.of(), List.of("https://app.example/cb"), true, T0, null, null);

  /** Runs {@code first} and {@code second} on two threads released together; what each answered (null: refused). */
  private static <T> List<T> race(java.util.function.Supplier<Future<T>> first,
      java.util.function.Supplier<Future<T>> second) throws Exception {
    java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();
    List<T> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
    AllAtOnce.count(2, 1, () -> {
      Future<T> answer = (turn.getAndIncrement() == 0 ? first : second).get();
      T result = answer.map(r -> r).otherwise(e -> null).await();
      if (result != null) {
        answers.add(result);
      }
      return true;
    });
    return answers;
  }

  @Test
  void noInterleavingOfARotationAndTheReuseThatRevokesItsFamilyLeavesALiveToken() throws Exception {
    store.users().insert(user("u1", "alice")).await();
    User alice = store.users().byId("u1").await().orElseThrow();
    Grants grants = Grants.over(store);
    for (int i = 0; i < 15; i++) {
      RefreshTokens.Pair leaked = grants.refreshTokens().start(alice, APP, List.of("openid"), List.of(), null).await();
      RefreshTokens.Pair held = grants.refreshTokens().exchange(leaked.refreshToken(), APP, null, List.of()).await();
      // The holder rotates its token while a thief presents the one before it, at the same moment.
      List<RefreshTokens.Pair> rotated = race(
          () -> grants.refreshTokens().exchange(held.refreshToken(), APP, null, List.of()),
          () -> grants.refreshTokens().exchange(leaked.refreshToken(), APP, null, List.of()));
      assertThat(grants.revoked(store, held.access().jti())).as("round %d", i).isTrue();
      for (RefreshTokens.Pair pair : rotated) {
        assertThat(grants.revoked(store, pair.access().jti())).as("round %d: the rotation's access token", i).isTrue();
        assertThat(failureOf(grants.refreshTokens().exchange(pair.refreshToken(), APP, null, List.of())))
            .as("round %d: the rotation's refresh token", i).isInstanceOf(InvalidGrant.class);
      }
    }
  }

  @Test
  void noInterleavingOfACodesExchangeAndItsReplayLeavesALiveToken() throws Exception {
    store.users().insert(user("u1", "alice")).await();
    User alice = store.users().byId("u1").await().orElseThrow();
    Grants grants = Grants.over(store);
    for (int i = 0; i < 15; i++) {
      String code = grants.codes().issue(APP, alice, "https://app.example/cb", List.of("openid"), null,
          new AuthorizationCode.SignIn(null, T0, "sid-1")).await();
      List<AuthorizationCodes.Exchanged> exchanged = race(
          () -> grants.codes().exchange(code, APP, "https://app.example/cb", null, List.of()),
          () -> grants.codes().exchange(code, APP, "https://app.example/cb", null, List.of()));
      for (AuthorizationCodes.Exchanged tokens : exchanged) {
        assertThat(grants.revoked(store, tokens.access().jti())).as("round %d: the access token", i).isTrue();
        assertThat(failureOf(grants.refreshTokens().exchange(tokens.refreshToken(), APP, null, List.of())))
            .as("round %d: the refresh token", i).isInstanceOf(InvalidGrant.class);
      }
    }
  }

  @Test
  void consents() {
    store.users().insert(user("u1", "alice")).await();
    assertThat(store.consents().granted("u1", "app").await()).isEmpty();
    store.consents().grant("u1", "app", List.of("openid"), T0).await();
    store.consents().grant("u1", "app", List.of("openid", "profile"), T0.plusSeconds(1)).await();
    store.consents().grant("u1", "other", List.of(), T0).await();
    assertThat(store.consents().granted("u1", "app").await()).contains(List.of("openid", "profile"));
    assertThat(store.consents().forUser("u1").await()).containsOnlyKeys("app", "other");
    assertThat(store.consents().revoke("u1", "app").await()).isTrue();
    assertThat(store.consents().revoke("u1", "app").await()).isFalse();
  }

  @Test
  void passkeysKeepOneOwnerPerCredentialAUserCapAndOneRecordedUseAtATime() throws Exception {
    store.users().insert(user("u1", "alice")).await();
    store.users().insert(user("u2", "bob")).await();
    assertThat(store.passkeys().insert(passkey("cred-a", "u1"), 2).await()).isEqualTo(PasskeyStore.Insert.ADDED);
    assertThat(store.passkeys().insert(passkey("cred-a", "u2"), 2).await()).isEqualTo(PasskeyStore.Insert.DUPLICATE);
    assertThat(store.passkeys().insert(passkey("cred-b", "u1"), 2).await()).isEqualTo(PasskeyStore.Insert.ADDED);
    assertThat(store.passkeys().insert(passkey("cred-c", "u1"), 2).await()).isEqualTo(PasskeyStore.Insert.FULL);
    Passkey stored = store.passkeys().byCredentialId("cred-a").await().orElseThrow();
    assertThat(stored.publicKey()).containsExactly(1, 2, 3);
    assertThat(stored.transports()).containsExactly("internal", "hybrid");
    assertThat(stored.backupEligible()).isTrue();
    assertThat(store.passkeys().forUser("u1").await()).extracting(Passkey::credentialId)
        .containsExactly("cred-a", "cred-b");

    // Only the owner renames or removes.
    assertThat(store.passkeys().rename("u2", "cred-a", "mine now").await()).isFalse();
    assertThat(store.passkeys().rename("u1", "cred-a", "laptop").await()).isTrue();
    assertThat(store.passkeys().delete("u2", "cred-b").await()).isFalse();
    assertThat(store.passkeys().delete("u1", "cred-b").await()).isTrue();
    assertThat(store.passkeys().byCredentialId("cred-b").await()).isEmpty();

    // Of eight sign-ins verified against counter 5 at once, one is recorded.
    assertThat(raceOf(() -> store.passkeys().recordUse("cred-a", 5, 6, true, T0.plusSeconds(9)))).isEqualTo(1);
    Passkey used = store.passkeys().byCredentialId("cred-a").await().orElseThrow();
    assertThat(used.signCount()).isEqualTo(6);
    assertThat(used.backupState()).isTrue();
    assertThat(used.lastUsedAt()).isEqualTo(T0.plusSeconds(9));
    assertThat(used.name()).isEqualTo("laptop");
  }

  @Test
  void keysMadeAtOnceNeverPassTheCapOnAUsersLiveKeys() throws Exception {
    store.users().insert(user("u1", "alice")).await();
    // Revoked and expired keys do not count.
    store.apiKeys().insert(new ApiKey("k-revoked", "h", "u1", null, List.of(), List.of(), T0, null, null, T0)).await();
    store.apiKeys().insert(new ApiKey("k-expired", "h", "u1", null, List.of(), List.of(), T0.minusSeconds(60),
        T0, null, null)).await();
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    int added = AllAtOnce.count(8, 2, () -> store.apiKeys().insertCapped(new ApiKey("k-" + next.incrementAndGet(),
        "h", "u1", null, List.of(), List.of(), T0, T0.plusSeconds(3600), null, null), 3).await());
    assertThat(added).isEqualTo(3);
    assertThat(store.apiKeys().forUser("u1").await()).hasSize(5);
  }

  @Test
  void registrationsAtOnceNeverPassTheCapOnPasskeys() throws Exception {
    store.users().insert(user("u1", "alice")).await();
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    int added = AllAtOnce.count(8, 2, () -> store.passkeys()
        .insert(passkey("race-" + next.incrementAndGet(), "u1"), 3).await() == PasskeyStore.Insert.ADDED);
    assertThat(added).isEqualTo(3);
    assertThat(store.passkeys().forUser("u1").await()).hasSize(3);
  }

  @Test
  void aWebAuthnChallengeIsTakenOnceHoweverManyAskAtOnce() throws Exception {
    store.webAuthnChallenges().put("signin:h1", new WebAuthnChallenge("c1", null, T0.plusSeconds(120))).await();
    store.webAuthnChallenges().put("signin:h1", new WebAuthnChallenge("c2", "u1", T0.plusSeconds(120))).await();
    assertThat(raceOf(() -> store.webAuthnChallenges().take("signin:h1").map(java.util.Optional::isPresent)))
        .isEqualTo(1);
    assertThat(store.webAuthnChallenges().take("signin:h1").await()).isEmpty();
    store.webAuthnChallenges().put("signin:h2", new WebAuthnChallenge("c3", "u1", T0.plusSeconds(120))).await();
    assertThat(store.webAuthnChallenges().take("signin:h2").await()).contains(
        new WebAuthnChallenge("c3", "u1", T0.plusSeconds(120)));
  }

  private static Passkey passkey(String credentialId, String userId) {
    return new Passkey(credentialId, userId, "key " + credentialId, new byte[] {1, 2, 3},
        "00000000-0000-0000-0000-000000000000", 5, true, true, false, List.of("internal", "hybrid"), T0, null);
  }

  @Test
  void answersWhileUp() {
    assertThat(store.isUp()).isTrue();
  }

  /** Runs {@code attempt} from eight threads at once; how many of them won. */
  private static int raceOf(java.util.function.Supplier<Future<Boolean>> attempt) throws Exception {
    return AllAtOnce.count(8, 1, () -> attempt.get().await());
  }


  // --- second factors (issue 23) ---

  @Test
  void secondFactorLifecycle() {
    store.users().insert(user("u1", "Alice")).await();
    assertThat(store.secondFactors().totp("u1").await()).isEmpty();
    assertThat(store.secondFactors().beginTotp("u1", "sealed-1", T0).await()).isTrue();
    assertThat(store.secondFactors().beginTotp("u1", "sealed-2", T0.plusSeconds(1)).await()).as("unconfirmed: replaced").isTrue();
    TotpFactor begun = store.secondFactors().totp("u1").await().orElseThrow();
    assertThat(begun.sealedSecret()).isEqualTo("sealed-2");
    assertThat(begun.confirmed()).isFalse();
    assertThat(store.secondFactors().useStep("u1", 5).await()).as("unconfirmed: no codes").isFalse();
    assertThat(store.secondFactors().confirmTotp("u1", "sealed-1", 10, T0, List.of("h1", "h2")).await())
        .as("a code of the replaced secret").isFalse();
    assertThat(store.secondFactors().totp("u1").await().orElseThrow().confirmed()).isFalse();
    assertThat(store.secondFactors().confirmTotp("u1", "sealed-2", 10, T0, List.of("h1", "h2")).await()).isTrue();
    assertThat(store.secondFactors().confirmTotp("u1", "sealed-2", 11, T0, List.of("h3")).await()).as("once").isFalse();
    assertThat(store.secondFactors().beginTotp("u1", "sealed-3", T0).await()).as("confirmed: kept").isFalse();
    assertThat(store.secondFactors().totp("u1").await().orElseThrow().sealedSecret()).isEqualTo("sealed-2");
    assertThat(store.secondFactors().useStep("u1", 10).await()).as("the confirming step").isFalse();
    assertThat(store.secondFactors().useStep("u1", 11).await()).isTrue();
    assertThat(store.secondFactors().useStep("u1", 11).await()).as("replay").isFalse();
    assertThat(store.secondFactors().useStep("u1", 9).await()).as("older").isFalse();
    assertThat(store.secondFactors().recoveryCodesLeft("u1").await()).isEqualTo(2);
    assertThat(store.secondFactors().useRecoveryCode("u1", "h1").await()).isTrue();
    assertThat(store.secondFactors().useRecoveryCode("u1", "h1").await()).isFalse();
    assertThat(store.secondFactors().useRecoveryCode("u1", "h3").await()).isFalse();
    assertThat(store.secondFactors().reset("u1").await()).isTrue();
    assertThat(store.secondFactors().reset("u1").await()).isFalse();
    assertThat(store.secondFactors().totp("u1").await()).isEmpty();
    assertThat(store.secondFactors().recoveryCodesLeft("u1").await()).isZero();
  }

  @Test
  void recoveryCodesAreReplacedWholeAndOnlyForAConfirmedFactor() {
    store.users().insert(user("u1", "Alice")).await();
    store.users().insert(user("u2", "Bob")).await();
    store.secondFactors().beginTotp("u1", "sealed", T0).await();
    store.secondFactors().confirmTotp("u1", "sealed", 10, T0, List.of("old-1", "old-2")).await();

    assertThat(store.secondFactors().replaceRecoveryCodes("u1", List.of("new-1", "new-2", "new-3"), T0.plusSeconds(1))
        .await()).isTrue();
    assertThat(store.secondFactors().recoveryCodesLeft("u1").await()).isEqualTo(3);
    assertThat(store.secondFactors().useRecoveryCode("u1", "old-1").await()).as("an old code").isFalse();
    assertThat(store.secondFactors().useRecoveryCode("u1", "new-2").await()).isTrue();

    assertThat(store.secondFactors().replaceRecoveryCodes("u2", List.of("x-1"), T0).await()).as("no factor").isFalse();
    store.secondFactors().beginTotp("u2", "sealed", T0).await();
    assertThat(store.secondFactors().replaceRecoveryCodes("u2", List.of("x-1"), T0).await()).as("unconfirmed").isFalse();
    assertThat(store.secondFactors().recoveryCodesLeft("u2").await()).isZero();
    assertThat(store.secondFactors().useRecoveryCode("u2", "x-1").await()).isFalse();
    assertThat(store.secondFactors().recoveryCodesLeft("u1").await()).as("another user's untouched").isEqualTo(2);
  }

  /** One code, raced from eight threads: its step is accepted once; so is a recovery code. */
  @Test
  void aCodeIsUsedOnceUnderRace() throws InterruptedException {
    store.users().insert(user("u1", "Alice")).await();
    store.secondFactors().beginTotp("u1", "sealed", T0).await();
    store.secondFactors().confirmTotp("u1", "sealed", 10, T0, List.of("h1")).await();
    assertThat(AllAtOnce.count(8, 1, () -> store.secondFactors().useStep("u1", 12).await())).isEqualTo(1);
    assertThat(AllAtOnce.count(8, 1, () -> store.secondFactors().useRecoveryCode("u1", "h1").await())).isEqualTo(1);
  }

  @Test
  void pendingSignInsAreUsedOnceAndExpire() throws InterruptedException {
    store.users().insert(user("u1", "Alice")).await();
    PendingSignIn pending = new PendingSignIn("p1", "u1", PendingSignIn.Purpose.VERIFY, List.of("pwd"), "/next", T0,
        T0.plusSeconds(300), 0);
    store.pendingSignIns().insert(pending).await();
    assertThat(store.pendingSignIns().find("p1", T0).await()).contains(pending);
    assertThat(store.pendingSignIns().find("p1", T0.plusSeconds(300)).await()).as("expired").isEmpty();
    assertThat(store.pendingSignIns().countAttempt("p1", 2, T0).await()).isTrue();
    assertThat(store.pendingSignIns().countAttempt("p1", 2, T0).await()).isTrue();
    assertThat(store.pendingSignIns().countAttempt("p1", 2, T0).await()).as("spent").isFalse();
    assertThat(store.pendingSignIns().consume("p1", T0.plusSeconds(300)).await()).as("expired").isFalse();
    assertThat(AllAtOnce.count(8, 1, () -> store.pendingSignIns().consume("p1", T0).await())).isEqualTo(1);
    assertThat(store.pendingSignIns().find("p1", T0).await()).isEmpty();
  }
}
