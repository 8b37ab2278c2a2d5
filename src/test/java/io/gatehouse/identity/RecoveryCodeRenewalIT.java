package io.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.keys.MasterKey;
import io.gatehouse.store.SqlStorage;
import io.gatehouse.support.MutableClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SecondFactors#renewRecoveryCodes} on a real SQLite store: new codes work at sign-in, the
 * old ones no longer do, and a user without a confirmed factor gets none.
 */
class RecoveryCodeRenewalIT {

  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  @TempDir
  Path dir;
  private Vertx vertx;
  private SqlStorage store;
  private SecondFactors factors;
  private final TotpVerifier totp = new TotpVerifier();

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    store = SqlStorage.embedded(vertx, dir);
    factors = new SecondFactors(store.secondFactors(), MasterKey.load(Map.of(), dir), "Gatehouse test",
        new MutableClock(T0));
  }

  @AfterEach
  void close() {
    store.close();
    vertx.close().await();
  }

  private User user(String id) {
    User user = new User(id, id, id, null, List.of("user"), false, null, T0, T0);
    store.users().insert(user).await();
    return user;
  }

  @Test
  void newCodesReplaceTheOldOnesWhole() {
    User alice = user("u1");
    String secret = factors.beginTotp(alice).await().orElseThrow().secret(); // 160 bits: 32 characters, no padding
    List<String> first = factors.confirmTotp(alice, totp.code(Base32.decode(secret), T0)).await().orElseThrow();

    List<String> renewed = factors.renewRecoveryCodes(alice.id()).await().orElseThrow();

    assertThat(renewed).hasSize(RecoveryCodes.COUNT).doesNotHaveDuplicates().doesNotContainAnyElementsOf(first);
    assertThat(factors.verify(alice.id(), first.get(0)).await()).isEqualTo(SecondFactors.Outcome.WRONG);
    assertThat(factors.verify(alice.id(), renewed.get(0)).await()).isEqualTo(SecondFactors.Outcome.RECOVERY_CODE);
    assertThat(factors.status(alice.id()).await()).isEqualTo(new SecondFactors.Status(true, RecoveryCodes.COUNT - 1));
  }

  @Test
  void aUserWithoutAConfirmedFactorGetsNoCodes() {
    User bob = user("u2");
    assertThat(factors.renewRecoveryCodes(bob.id()).await()).isEmpty();
    factors.beginTotp(bob).await();
    assertThat(factors.renewRecoveryCodes(bob.id()).await()).as("enrolment not confirmed").isEmpty();
    assertThat(factors.status(bob.id()).await()).isEqualTo(new SecondFactors.Status(false, 0));
  }
}
