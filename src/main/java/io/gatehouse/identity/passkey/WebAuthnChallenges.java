package io.gatehouse.identity.passkey;

import io.gatehouse.identity.SecretTokens;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The challenges of WebAuthn ceremonies (WebAuthn Level 3 §13.4.3): 32 random bytes each, kept in a
 * {@link WebAuthnChallengeStore} for {@code passkeys.challenge_ttl} under a key that binds it to
 * who asked — a registration to the session that asked (one pending per session), a sign-in to a
 * random handle only the asking browser (in a cookie) or app holds — and taken from the store
 * exactly once, whether the answer to it then passes or not. Thread-safe.
 */
public final class WebAuthnChallenges {

  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private final WebAuthnChallengeStore store;
  private final SecretTokens tokens;
  private final SecureRandom random = new SecureRandom();
  private final Duration ttl;
  private final Clock clock;

  public WebAuthnChallenges(WebAuthnChallengeStore store, SecretTokens tokens, Duration ttl, Clock clock) {
    this.store = store;
    this.tokens = tokens;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** The key of the registration the session whose token hashes to {@code sessionHash} has under way. */
  static String registrationKey(String sessionHash) {
    return "register:" + sessionHash;
  }

  /** The key of the sign-in {@code handle} names: its SHA-256, so the store never holds the handle itself. */
  static String signInKey(String handle) {
    return "sign-in:" + SecretTokens.sha256(handle);
  }

  /** A new random handle for a sign-in ceremony. */
  String newHandle() {
    return tokens.newToken();
  }

  public Duration ttl() {
    return ttl;
  }

  /**
   * Issues a challenge under {@code key}, replacing any pending there.
   *
   * @param userId whose passkey a registration makes; null for a sign-in
   * @return the challenge's bytes
   */
  Future<byte[]> issue(String key, String userId) {
    byte[] challenge = new byte[32];
    random.nextBytes(challenge);
    return store.put(key, new WebAuthnChallenge(URL.encodeToString(challenge), userId, clock.instant().plus(ttl)))
        .map(stored -> challenge);
  }

  /**
   * Takes the challenge under {@code key} out of the store: the first call gets it, every later one
   * (a replay, a race) finds nothing.
   *
   * @throws PasskeyRejected (as the failed future) {@code challenge_unknown} when there is none,
   *     {@code challenge_expired} when it is too old
   */
  Future<WebAuthnChallenge> take(String key) {
    return store.take(key).map(found -> {
      WebAuthnChallenge challenge = found.orElseThrow(() -> new PasskeyRejected("challenge_unknown", null));
      Instant now = clock.instant();
      if (!now.isBefore(challenge.expiresAt())) {
        throw new PasskeyRejected("challenge_expired", challenge.userId());
      }
      return challenge;
    });
  }

  /** Removes expired challenges; run now and then, never needed for correctness. */
  public Future<Integer> sweep() {
    return store.deleteExpired(clock.instant());
  }

  /** A present challenge's bytes. */
  static byte[] bytes(WebAuthnChallenge challenge) {
    return Base64.getUrlDecoder().decode(challenge.challenge());
  }
}
