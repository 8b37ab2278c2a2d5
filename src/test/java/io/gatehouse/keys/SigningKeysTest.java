package io.gatehouse.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import io.gatehouse.config.TokensConfig;
import io.gatehouse.store.SqlStorage;
import io.gatehouse.support.MutableClock;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signing-key schedule on a real SQLite store, time moved by a fake clock. */
class SigningKeysTest {

  static final TokensConfig TOKENS = new TokensConfig(Duration.ofMinutes(10), Duration.ofDays(30), "ES256",
      Duration.ofDays(30), null);

  @TempDir
  Path dir;
  Vertx vertx;
  SqlStorage store;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00Z"));

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    store = SqlStorage.embedded(vertx, dir);
  }

  @AfterEach
  void close() {
    store.close();
    vertx.close().await();
  }

  SigningKeys keys(MasterKey master) {
    SigningKeys keys = new SigningKeys(store.signingKeys(), master, TOKENS, clock);
    keys.maintain().await();
    return keys;
  }

  /** The published key ids of one algorithm. */
  static List<String> published(SigningKeys keys, String algorithm) {
    return keys.published().getKeys().stream().filter(k -> k.getAlgorithm().getName().equals(algorithm))
        .map(JWK::getKeyID).toList();
  }

  @Test
  void theFirstStartMakesACurrentKeyAndPublishesTheNextAheadForEachAlgorithm() {
    SigningKeys keys = keys(MasterKey.load(Map.of(), dir));
    JWK signing = keys.signing();
    assertThat(signing.isPrivate()).isTrue();
    assertThat(signing).isInstanceOf(ECKey.class);
    assertThat(keys.signing(JWSAlgorithm.ES256)).isEqualTo(signing);
    JWK rsa = keys.signing(JWSAlgorithm.RS256);
    assertThat(rsa).as("OpenID Connect's id token algorithm, beside tokens.algorithm").isInstanceOf(RSAKey.class);
    assertThat(rsa.isPrivate()).isTrue();
    assertThat(keys.signing(JWSAlgorithm.EdDSA)).isNull();
    assertThat(keys.algorithms()).containsExactly(JWSAlgorithm.ES256, JWSAlgorithm.RS256);
    assertThat(keys.signingKeyIds()).containsExactlyInAnyOrder(signing.getKeyID(), rsa.getKeyID());
    assertThat(keys.published().getKeys()).hasSize(4).allMatch(k -> !k.isPrivate());
    assertThat(published(keys, "ES256")).hasSize(2).contains(signing.getKeyID());
    assertThat(published(keys, "RS256")).hasSize(2).contains(rsa.getKeyID());
    assertThat(((RSAKey) rsa).size()).isEqualTo(2048);

    SigningKeys again = keys(MasterKey.load(Map.of(), dir));
    assertThat(again.signing().getKeyID()).as("a restart keeps the keys").isEqualTo(signing.getKeyID());
    assertThat(again.signing(JWSAlgorithm.RS256).getKeyID()).isEqualTo(rsa.getKeyID());
    assertThat(again.published().getKeys()).hasSize(4);
  }

  @Test
  void withRs256ConfiguredOneScheduleSignsEverything() {
    SigningKeys keys = new SigningKeys(store.signingKeys(), MasterKey.load(Map.of(), dir),
        new TokensConfig(Duration.ofMinutes(10), Duration.ofDays(30), "RS256", Duration.ofDays(30), null), clock);
    keys.maintain().await();
    assertThat(keys.algorithms()).containsExactly(JWSAlgorithm.RS256);
    assertThat(keys.signing()).isEqualTo(keys.signing(JWSAlgorithm.RS256)).isInstanceOf(RSAKey.class);
    assertThat(keys.published().getKeys()).hasSize(2);
  }

  @Test
  void keysRotateOnScheduleAndARetiredKeyStaysUntilItsTokensHaveExpired() {
    SigningKeys keys = keys(MasterKey.load(Map.of(), dir));
    for (JWSAlgorithm algorithm : keys.algorithms()) {
      assertThat(published(keys, algorithm.getName())).as(algorithm.getName()).hasSize(2);
    }
    String first = keys.signing().getKeyID();
    String next = published(keys, "ES256").stream().filter(k -> !k.equals(first)).findFirst().orElseThrow();
    String firstRsa = keys.signing(JWSAlgorithm.RS256).getKeyID();
    String nextRsa = published(keys, "RS256").stream().filter(k -> !k.equals(firstRsa)).findFirst().orElseThrow();

    clock.advance(Duration.ofDays(30));
    keys.maintain().await();
    assertThat(keys.signing().getKeyID()).as("the published next key took over").isEqualTo(next);
    assertThat(keys.signing(JWSAlgorithm.RS256).getKeyID()).as("and RS256's too").isEqualTo(nextRsa);
    assertThat(published(keys, "ES256")).contains(first, next).hasSize(3);
    assertThat(published(keys, "RS256")).contains(firstRsa, nextRsa).hasSize(3);

    clock.advance(Duration.ofMinutes(14));
    keys.maintain().await();
    assertThat(keys.published().getKeyByKeyId(first)).as("tokens it signed may still be live").isNotNull();
    assertThat(keys.published().getKeyByKeyId(firstRsa)).isNotNull();
    clock.advance(Duration.ofMinutes(2));
    keys.maintain().await();
    assertThat(keys.published().getKeyByKeyId(first)).as("access_ttl + 5 min after retiring").isNull();
    assertThat(keys.published().getKeyByKeyId(firstRsa)).isNull();
    assertThat(keys.published().getKeys()).hasSize(4);
  }

  @Test
  void anAlgorithmNoLongerConfiguredSignsNothingAndRetiresWhenItsPeriodEnds() {
    MasterKey master = MasterKey.load(Map.of(), dir);
    SigningKeys before = keys(master);
    String es256 = before.signing().getKeyID();
    String es256Next = published(before, "ES256").stream().filter(k -> !k.equals(es256)).findFirst().orElseThrow();
    SigningKeys after = new SigningKeys(store.signingKeys(), master,
        new TokensConfig(Duration.ofMinutes(10), Duration.ofDays(30), "EdDSA", Duration.ofDays(30), null), clock);
    after.maintain().await();
    assertThat(after.signing()).isInstanceOf(OctetKeyPair.class);
    assertThat(after.signing(JWSAlgorithm.ES256)).isNull();
    assertThat(after.signing(JWSAlgorithm.RS256).getKeyID()).as("RS256 is wanted by both")
        .isEqualTo(before.signing(JWSAlgorithm.RS256).getKeyID());
    assertThat(published(after, "ES256")).as("still published: its tokens are live")
        .containsExactlyInAnyOrder(es256, es256Next);

    // Instances with either config, maintaining in turn (a roll-out), leave each other's keys be.
    int stored = store.signingKeys().list().await().size();
    for (int i = 0; i < 3; i++) {
      before.maintain().await();
      after.maintain().await();
    }
    assertThat(store.signingKeys().list().await()).hasSize(stored);
    assertThat(before.signing().getKeyID()).isEqualTo(es256);

    clock.advance(Duration.ofDays(30).plusMinutes(16));
    after.maintain().await(); // retires it as of the end of its period
    after.maintain().await(); // the next check deletes it
    assertThat(after.published().getKeyByKeyId(es256)).as("its period ended, then its tokens").isNull();
    assertThat(after.published().getKeyByKeyId(es256Next)).as("nothing signs with it; it waits for its own end")
        .isNotNull();
    clock.advance(Duration.ofDays(30));
    after.maintain().await();
    after.maintain().await();
    assertThat(published(after, "ES256")).isEmpty();
    assertThat(after.signing()).isInstanceOf(OctetKeyPair.class);
  }

  @Test
  void ed25519KeysSignTokensThatTheJwksVerifies() throws Exception {
    SigningKeys keys = new SigningKeys(store.signingKeys(), MasterKey.load(Map.of(), dir),
        new TokensConfig(Duration.ofMinutes(10), Duration.ofDays(30), "EdDSA", Duration.ofDays(30), null), clock);
    keys.maintain().await();
    assertThat(keys.signing()).isInstanceOf(com.nimbusds.jose.jwk.OctetKeyPair.class);
    String token = JwtSigner.sign(keys.signing(), com.nimbusds.jose.JOSEObjectType.JWT,
        new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("x").build());
    com.nimbusds.jwt.SignedJWT jwt = com.nimbusds.jwt.SignedJWT.parse(token);
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(com.nimbusds.jose.JWSAlgorithm.EdDSA);
    var published = (com.nimbusds.jose.jwk.OctetKeyPair) keys.published().getKeyByKeyId(jwt.getHeader().getKeyID());
    assertThat(jwt.verify(new com.nimbusds.jose.crypto.Ed25519Verifier(published))).isTrue();
  }

  @Test
  void aManualRotationHandsOverToThePublishedNextKeyAtOnce() {
    SigningKeys keys = keys(MasterKey.load(Map.of(), dir));
    String first = keys.signing().getKeyID();
    List<String> published = keys.published().getKeys().stream().map(JWK::getKeyID).toList();
    String firstRsa = keys.signing(JWSAlgorithm.RS256).getKeyID();
    keys.rotate().await();
    assertThat(keys.signing().getKeyID()).isNotEqualTo(first).isIn(published);
    assertThat(keys.signing(JWSAlgorithm.RS256).getKeyID()).isNotEqualTo(firstRsa).isIn(published);
    assertThat(keys.published().getKeys()).hasSize(6);
  }

  @Test
  void privateKeysAreSealedAtRestUnderTheMasterKey() throws Exception {
    SigningKeys keys = keys(MasterKey.load(Map.of(), dir));
    String d = keys.signing().toJSONObject().get("d").toString();
    List<StoredKey> stored = store.signingKeys().list().await();
    assertThat(stored).allMatch(k -> !k.sealedJwk().contains(d) && k.sealedJwk().split("\\.").length == 5);
    assertThat(Files.readAllBytes(dir.resolve("gatehouse.db"))).asString(java.nio.charset.StandardCharsets.ISO_8859_1)
        .doesNotContain(d);
    Path keyFile = dir.resolve(MasterKey.FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");

    byte[] other = new byte[32];
    other[0] = 1;
    MasterKey wrong = MasterKey.load(Map.of(MasterKey.ENV, Base64.getEncoder().encodeToString(other)), dir);
    assertThatThrownBy(() -> keys(wrong)).hasMessageContaining("master key it was sealed with");
    assertThatThrownBy(() -> MasterKey.load(Map.of(MasterKey.ENV, "c2hvcnQ="), dir)).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> MasterKey.load(Map.of(MasterKey.ENV, "not base64!"), dir)).hasMessageContaining("not base64");
    assertThat(wrong.toString()).doesNotContain(Base64.getEncoder().encodeToString(other));
  }

  @Test
  void aSealedKeyMovedToAnotherIdDoesNotOpen() {
    MasterKey master = MasterKey.load(Map.of(), dir);
    String sealed = master.seal("kid-a", "secret");
    assertThat(master.open("kid-a", sealed)).isEqualTo("secret");
    assertThatThrownBy(() -> master.open("kid-b", sealed)).isInstanceOf(IllegalStateException.class);
  }
}
