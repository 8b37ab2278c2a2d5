package io.gatehouse.identity;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Half-done sign-ins ({@link PendingSignIn}): started when the password was right and a second
 * factor must follow. Each is named by a fresh 256-bit token that only the browser (in an
 * {@code HttpOnly} cookie) or the app holds, stored as its SHA-256; it lasts {@link #LIFETIME},
 * takes at most {@link #MAX_ATTEMPTS} wrong codes (then the user starts over from the password), and
 * is consumed by the one request that finishes it (a delete), so it can never start two sessions.
 * Thread-safe.
 */
public final class PendingSignIns {

  public static final Duration LIFETIME = Duration.ofMinutes(5);
  public static final int MAX_ATTEMPTS = 5;

  /** A new pending sign-in and the token that names it. */
  public record Started(String token, PendingSignIn pending) {
  }

  private final PendingSignInStore store;
  private final SecretTokens tokens;
  private final Clock clock;

  public PendingSignIns(PendingSignInStore store, SecretTokens tokens, Clock clock) {
    this.store = store;
    this.tokens = tokens;
    this.clock = clock;
  }

  public Future<Started> start(User user, PendingSignIn.Purpose purpose, List<String> amr, String returnTo) {
    String token = tokens.newToken();
    Instant now = clock.instant();
    PendingSignIn pending = new PendingSignIn(SecretTokens.sha256(token), user.id(), purpose, amr, returnTo, now,
        now.plus(LIFETIME), 0);
    return store.insert(pending).map(done -> new Started(token, pending));
  }

  /** The live pending sign-in {@code token} names, or empty (unknown, expired, finished, malformed). */
  public Future<Optional<PendingSignIn>> find(String token) {
    if (token == null || token.length() != 43) {
      return Future.succeededFuture(Optional.empty());
    }
    return store.find(SecretTokens.sha256(token), clock.instant());
  }

  /** Counts an attempt at a code against it: false when it has had its {@link #MAX_ATTEMPTS} (or ended). */
  public Future<Boolean> countAttempt(PendingSignIn pending) {
    return store.countAttempt(pending.tokenHash(), MAX_ATTEMPTS, clock.instant());
  }

  /** Ends it: true for the one request that may now start the session. */
  public Future<Boolean> finish(PendingSignIn pending) {
    return store.consume(pending.tokenHash(), clock.instant());
  }

  public Future<Integer> sweep() {
    return store.deleteExpired(clock.instant());
  }
}
