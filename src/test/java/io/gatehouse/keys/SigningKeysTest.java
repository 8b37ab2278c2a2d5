package io.gatehouse.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
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

  @Test
  void theFirstStartMakesACurrentKeyAndPublishesTheNextAhead() {
    SigningKeys keys = keys(MasterKey.load(Map.of(), dir));
    JWK signing = keys.signing();
    assertThat(signing.isPrivate()).isTrue();
    assertThat(keys.published().getKeys()).hasSize(2).allMatch(k -> !k.isPrivate());
    assertThat(keys.published().getKeyByKeyId(signing.getKeyID())).isNotNull();

    SigningKeys again = keys(MasterKey.load(Map.of(), dir));
    assertThat(again.signing().getKeyID()).as("a restart keeps the keys").isEqualTo(signing.getKeyID());
    assertThat(again.published().getKeys()).hasSize(2);
  }

  @Test
  void keysRotateOnScheduleAndARetiredKeyStaysUntilItsTokensHaveExpired() {
    SigningKeys keys = keys(MasterKey.load(Map.of(), dir));
    String first = keys.signing().getKeyID();
    String next = keys.published().getKeys().stream().map(JWK::getKeyID).filter(k -> !k.equals(first)).findFirst()
        .orElseThrow();

    clock.advance(Duration.ofDays(30));
    keys.maintain().await();
    assertThat(keys.signing().getKeyID()).as("the published next key took over").isEqualTo(next);
    assertThat(keys.published().getKeys()).extracting(JWK::getKeyID).contains(first, next).hasSize(3);

    clock.advance(Duration.ofMinutes(14));
    keys.maintain().await();
    assertThat(keys.published().getKeyByKeyId(first)).as("tokens it signed may still be live").isNotNull();
    clock.advance(Duration.ofMinutes(2));
    keys.maintain().await();
    assertThat(keys.published().getKeyByKeyId(first)).as("access_ttl + 5 min after retiring").isNull();
    assertThat(keys.published().getKeys()).hasSize(2);
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
    keys.rotate().await();
    assertThat(keys.signing().getKeyID()).isNotEqualTo(first).isIn(published);
    assertThat(keys.published().getKeys()).hasSize(3);
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
