package io.gatehouse.oauth;

import io.gatehouse.guard.RevokedTokens;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The revocation list of Gatehouse's own access tokens: stored durably (a revocation that was
 * answered survives a crash) and held in memory, so the guard consults it on every token, cached
 * or not, at the cost of a map lookup. Entries leave once their tokens would have expired anyway.
 * Thread-safe.
 */
public final class TokenRevocations implements RevokedTokens {

  private final String issuer;
  private final RevocationStore store;
  private final Clock clock;
  private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
  private final BiConsumer<String, Instant> announce;

  /** A single instance's list: nobody else to tell. */
  public TokenRevocations(String issuer, RevocationStore store, Clock clock) {
    this(issuer, store, clock, (jti, expiresAt) -> { });
  }

  /**
   * @param announce tells the other instances of a revocation once it is stored, so they
   *     {@link #learn} it (Redis pub/sub with a shared store)
   */
  public TokenRevocations(String issuer, RevocationStore store, Clock clock, BiConsumer<String, Instant> announce) {
    this.issuer = issuer;
    this.store = store;
    this.clock = clock;
    this.announce = announce;
  }

  /** Reads the stored list; call it before serving, and again after missing announcements. */
  public Future<Void> load() {
    return store.live(clock.instant()).map(live -> {
      revoked.putAll(live);
      return null;
    });
  }

  /** Revokes the token {@code jti} names; durable when the future completes. */
  public Future<Void> revoke(String jti, Instant expiresAt) {
    return store.insert(jti, expiresAt).andThen(done -> {
      if (done.succeeded()) {
        revoked.put(jti, expiresAt);
        announce.accept(jti, expiresAt);
      }
    });
  }

  /** A revocation another instance stored and announced: held in memory from now on. */
  public void learn(String jti, Instant expiresAt) {
    if (expiresAt.isAfter(clock.instant())) {
      revoked.put(jti, expiresAt);
    }
  }

  /** Forgets entries whose tokens have expired. */
  public Future<Integer> sweep() {
    Instant now = clock.instant();
    revoked.values().removeIf(expiry -> !expiry.isAfter(now));
    return store.deleteExpired(now);
  }

  @Override
  public boolean isRevoked(String tokenIssuer, String jti) {
    return jti != null && issuer.equals(tokenIssuer) && revoked.containsKey(jti);
  }
}
