package io.gatehouse.identity.passkey;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.identity.SecretTokens;
import io.gatehouse.support.MutableClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Challenges: random, keyed by their ceremony, taken once, refused once expired. */
class WebAuthnChallengesTest {

  /** A store whose take is atomic by construction (one thread); the real stores' atomicity is raced in PasskeyIT. */
  private static final class MapStore implements WebAuthnChallengeStore {
    final Map<String, WebAuthnChallenge> map = new HashMap<>();

    @Override
    public Future<Void> put(String key, WebAuthnChallenge challenge) {
      map.put(key, challenge);
      return Future.succeededFuture();
    }

    @Override
    public Future<Optional<WebAuthnChallenge>> take(String key) {
      return Future.succeededFuture(Optional.ofNullable(map.remove(key)));
    }

    @Override
    public Future<Integer> deleteExpired(Instant now) {
      return Future.succeededFuture(0);
    }
  }

  private final MapStore store = new MapStore();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final WebAuthnChallenges challenges = new WebAuthnChallenges(store, new SecretTokens(), Duration.ofMinutes(2),
      clock);

  @Test
  void aChallengeIsTakenOnceAndAReplacedOneIsGone() {
    String key = WebAuthnChallenges.signInKey("h".repeat(43));
    byte[] first = challenges.issue(key, null).result();
    byte[] second = challenges.issue(key, null).result();
    assertThat(first).hasSize(32).isNotEqualTo(second);
    assertThat(WebAuthnChallenges.bytes(challenges.take(key).result())).isEqualTo(second);
    assertThat(((PasskeyRejected) challenges.take(key).cause()).reason()).isEqualTo("challenge_unknown");
    assertThat(store.map.keySet()).isEmpty();
  }

  @Test
  void anExpiredChallengeIsRefusedAndSpent() {
    String key = WebAuthnChallenges.registrationKey("session-hash");
    challenges.issue(key, "user-1");
    clock.advance(Duration.ofMinutes(2));
    assertThat(((PasskeyRejected) challenges.take(key).cause()).reason()).isEqualTo("challenge_expired");
    assertThat(store.map).isEmpty();
  }

  @Test
  void theStoreNeverSeesASignInHandle() {
    String handle = new SecretTokens().newToken();
    challenges.issue(WebAuthnChallenges.signInKey(handle), null);
    assertThat(store.map.keySet()).singleElement().asString().doesNotContain(handle)
        .isEqualTo("sign-in:" + SecretTokens.sha256(handle));
  }
}
