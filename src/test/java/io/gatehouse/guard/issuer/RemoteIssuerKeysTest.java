package io.gatehouse.guard.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.guard.CredentialRejected;
import io.gatehouse.guard.IssuerKeys;
import io.gatehouse.guard.JwtVerifier;
import io.gatehouse.guard.RevokedTokens;
import io.gatehouse.http.ChildSpans;
import io.gatehouse.http.Principal;
import io.gatehouse.support.MutableClock;
import io.gatehouse.support.TestIssuer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RemoteIssuerKeys} against a real HTTPS OpenID provider whose keys rotate, which goes down
 * and which answers garbage; time moves by a fake clock.
 */
class RemoteIssuerKeysTest {

  static final Duration CACHE = Duration.ofMinutes(10);
  static final Duration REFETCH = Duration.ofSeconds(30);

  @TempDir
  Path dir;
  TestIssuer issuer;
  Vertx vertx;
  final MutableClock clock = new MutableClock(Instant.now());
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void start() throws Exception {
    issuer = TestIssuer.start(dir);
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    issuer.close();
  }

  RemoteIssuerKeys keys() {
    RemoteIssuerKeys keys = new RemoteIssuerKeys("test", issuer.issuer(), null,
        new IssuerFetcher(vertx, issuer.caFile()), clock, CACHE, REFETCH, registry, ChildSpans.NONE);
    keys.refreshIfDue();
    keys.refetch().await();
    return keys;
  }

  JwtVerifier verifier(IssuerKeys keys) {
    return new JwtVerifier(issuer.issuer(), List.of("api"), List.of("ES256"), false, "roles", keys,
        RevokedTokens.NONE, clock);
  }

  static final Duration FLOOR = RemoteIssuerKeys.UNKNOWN_KID_FLOOR;

  @Test
  void discoversTheKeysAndFollowsARotation() throws Exception {
    RemoteIssuerKeys keys = keys();
    assertThat(keys.current().getKeys()).hasSize(1);
    assertThat(keys.state()).isEqualTo("UP");
    assertThat(issuer.discoveryRequests.get()).isEqualTo(1);
    JwtVerifier verifier = verifier(keys);
    assertThat(verifier.verify(issuer.token("alice", c -> { })).await().subject()).isEqualTo("alice");

    issuer.rotate();
    String rotated = issuer.token("bob", c -> { });
    // the first fetch was moments ago: an unknown kid may not fetch again within the floor
    assertThat(failure(verifier.verify(rotated))).isEqualTo("unknown_kid");
    clock.advance(FLOOR.minusMillis(1));
    assertThat(failure(verifier.verify(rotated))).isEqualTo("unknown_kid");
    assertThat(issuer.jwksRequests.get()).isEqualTo(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(verifier.verify(rotated).await().subject()).as("the floor, not the refetch interval").isEqualTo("bob");
    assertThat(issuer.jwksRequests.get()).isEqualTo(2);
  }

  @Test
  void aKeyTheIssuerSwitchedToWithoutNoticeIsFetchedAtTheFirstTokenThatNamesIt() throws Exception {
    RemoteIssuerKeys keys = keys();
    JwtVerifier verifier = verifier(keys);
    clock.advance(FLOOR); // the last fetch (at start) is older than the floor, far younger than REFETCH
    issuer.rotate();
    String rotated = issuer.token("bob", c -> { });
    assertThat(verifier.verify(rotated).await().subject()).isEqualTo("bob");
    assertThat(issuer.jwksRequests.get()).isEqualTo(2);
    assertThat(verifier.verify(issuer.token("carol", c -> { })).await().subject()).isEqualTo("carol");
    assertThat(issuer.jwksRequests.get()).as("a known kid fetches nothing").isEqualTo(2);
  }

  @Test
  void aFloodOfUnknownKidsCostsOneFetchPerFloor() throws Exception {
    RemoteIssuerKeys keys = keys();
    JwtVerifier verifier = verifier(keys);
    int before = issuer.jwksRequests.get();
    clock.advance(FLOOR);
    for (int round = 1; round <= 3; round++) {
      List<Future<Principal>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        results.add(verifier.verify(junk("junk-" + round + "-" + i)));
      }
      Future.join(results).otherwiseEmpty().await();
      assertThat(results).allMatch(Future::failed);
      // later within the same floor: no fetch at all
      clock.advance(FLOOR.minusMillis(1));
      assertThat(failure(verifier.verify(junk("late-" + round)))).isEqualTo("unknown_kid");
      assertThat(issuer.jwksRequests.get() - before).as("round " + round).isEqualTo(round);
      clock.advance(Duration.ofMillis(1));
    }
  }

  @Test
  void aRefetchIntervalShorterThanTheFloorIsTheFloor() throws Exception {
    RemoteIssuerKeys keys = new RemoteIssuerKeys("test", issuer.issuer(), null,
        new IssuerFetcher(vertx, issuer.caFile()), clock, CACHE, Duration.ofSeconds(1), registry, ChildSpans.NONE);
    keys.refetch().await();
    JwtVerifier verifier = verifier(keys);
    issuer.rotate();
    String rotated = issuer.token("bob", c -> { });
    assertThat(failure(verifier.verify(rotated))).isEqualTo("unknown_kid");
    clock.advance(Duration.ofSeconds(1));
    assertThat(verifier.verify(rotated).await().subject()).isEqualTo("bob");
  }

  private String junk(String kid) throws Exception {
    com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
        .keyID(kid).generate();
    return TestIssuer.sign(key, new com.nimbusds.jwt.JWTClaimsSet.Builder()
        .issuer(issuer.issuer()).audience("api").subject("x")
        .expirationTime(java.util.Date.from(Instant.now().plusSeconds(600))).build());
  }

  @Test
  void anIssuerThatGoesDownOrAnswersGarbageKeepsItsKeys() throws Exception {
    RemoteIssuerKeys keys = keys();
    JwtVerifier verifier = verifier(keys);
    for (TestIssuer.Mode failure : List.of(TestIssuer.Mode.DOWN, TestIssuer.Mode.GARBAGE, TestIssuer.Mode.HUGE,
        TestIssuer.Mode.WRONG_ISSUER)) {
      issuer.mode = failure;
      clock.advance(CACHE.plusSeconds(1));
      keys.refreshIfDue();
      keys.refetch().await(); // the background fetch, finished
      assertThat(keys.current().getKeys()).as(failure.name()).hasSize(1);
      assertThat(keys.state()).as(failure.name()).isEqualTo("STALE");
      assertThat(verifier.verify(issuer.token("carol-" + failure, c -> c.issueTime(java.util.Date.from(clock.instant()))
              .expirationTime(java.util.Date.from(clock.instant().plusSeconds(600))))).await().subject())
          .as(failure.name()).startsWith("carol");
    }
    assertThat(registry.get("gatehouse_issuer_keys_stale").gauge().value()).isEqualTo(1.0);
    assertThat(registry.get("gatehouse_issuer_key_fetches").tag("outcome", "error").counter().count()).isEqualTo(4.0);

    issuer.mode = TestIssuer.Mode.UP;
    clock.advance(REFETCH);
    keys.refreshIfDue();
    keys.refetch().await();
    assertThat(keys.state()).isEqualTo("UP");
    assertThat(registry.get("gatehouse_issuer_keys_stale").gauge().value()).isZero();
  }

  /** Issue 20: an issuer answering garbage read UP until its keys outlived cache_duration. */
  @Test
  void theFirstFailedFetchMarksTheIssuerStaleWithItsReasonWhileTheCachedKeysServe() throws Exception {
    RemoteIssuerKeys keys = keys();
    Instant lastGood = clock.instant();
    JwtVerifier verifier = verifier(keys);
    assertThat(keys.details()).containsOnlyKeys("last_good_fetch");

    issuer.mode = TestIssuer.Mode.GARBAGE;
    clock.advance(CACHE.multipliedBy(3).dividedBy(4)); // the background refresh is due; the keys are young
    keys.refreshIfDue();
    keys.refetch().await();
    assertThat(issuer.jwksRequests.get()).isEqualTo(2);
    assertThat(keys.state()).isEqualTo("STALE");
    assertThat(keys.details()).containsExactly(
        java.util.Map.entry("last_good_fetch", Instant.ofEpochMilli(lastGood.toEpochMilli()).toString()),
        java.util.Map.entry("reason", "not a JWK set"),
        java.util.Map.entry("failed_at", Instant.ofEpochMilli(clock.millis()).toString()));
    assertThat(registry.get("gatehouse_issuer_keys_stale").gauge().value()).isEqualTo(1.0);
    String token = issuer.token("dana", c -> c.issueTime(java.util.Date.from(clock.instant()))
        .expirationTime(java.util.Date.from(clock.instant().plusSeconds(600))));
    assertThat(verifier.verify(token).await().subject()).as("the cached keys keep serving").isEqualTo("dana");

    issuer.mode = TestIssuer.Mode.DOWN;
    clock.advance(REFETCH);
    keys.refreshIfDue();
    keys.refetch().await();
    assertThat(keys.details()).containsEntry("reason", "status 503")
        .containsEntry("last_good_fetch", Instant.ofEpochMilli(lastGood.toEpochMilli()).toString());

    issuer.mode = TestIssuer.Mode.UP;
    clock.advance(REFETCH);
    keys.refreshIfDue();
    keys.refetch().await();
    assertThat(keys.state()).isEqualTo("UP");
    assertThat(keys.details()).containsOnlyKeys("last_good_fetch")
        .containsEntry("last_good_fetch", Instant.ofEpochMilli(clock.millis()).toString());
  }

  @Test
  void discoveryNamingAnotherIssuerYieldsNoKeys() throws Exception {
    issuer.mode = TestIssuer.Mode.WRONG_ISSUER;
    RemoteIssuerKeys keys = keys();
    assertThat(keys.current().getKeys()).isEmpty();
    assertThat(keys.state()).isEqualTo("NO_KEYS");
    assertThat(issuer.jwksRequests.get()).isZero();
  }

  @Test
  void keysAreNeverFetchedInTheClearOrFromAnUntrustedServer() throws Exception {
    IssuerFetcher plain = new IssuerFetcher(vertx, null);
    assertThat(plain.get(java.net.URI.create(issuer.issuer() + "/jwks")).otherwiseEmpty().await())
        .as("the self-signed certificate is not trusted without ca_file").isNull();
    assertThat(plain.get(java.net.URI.create("http://127.0.0.1:1/jwks")).failed()).isTrue();
  }

  private static String failure(Future<Principal> result) {
    try {
      result.await();
    } catch (CredentialRejected e) {
      return e.reason();
    }
    throw new AssertionError("expected a refusal");
  }
}
