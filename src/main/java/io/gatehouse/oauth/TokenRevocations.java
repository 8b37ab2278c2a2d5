package io.gatehouse.oauth;

import io.gatehouse.guard.JwtVerifier;
import io.gatehouse.guard.RevokedTokens;
import io.gatehouse.guard.VerifiedToken;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The revocation list of Gatehouse's own access tokens, stored durably (a revocation that was
 * answered survives a crash) and held in memory, so the guard consults it on every token, cached
 * or not, at the cost of three map lookups. A token is refused when
 *
 * <ul>
 *   <li>its {@code jti} was revoked (RFC 7009, a replayed code or refresh token);</li>
 *   <li>the session it was issued with ({@code sid}) ended: a logout;</li>
 *   <li>it was issued before its subject's cut-off: a password change, disable, delete, change of
 *       roles or "log out everywhere" of that account. {@code iat} has whole seconds, so a cut-off is
 *       the second after the change, and a token minted after the change but before that second is
 *       dated at it ({@link #issuedAt}); a second change before then moves the cut-off one second
 *       further ({@link RevocationStore#cutOff}), past the tokens so dated.</li>
 * </ul>
 *
 * Entries leave once the tokens they refuse would have expired anyway. Other instances learn of a
 * change by announcement ({@link #learn}, {@link #learnCutOff}) and, for what the CLI changed, by
 * reading the cut-offs again every {@value #CUT_OFF_POLL_MILLIS} ms ({@link #reloadCutOffs}).
 * Thread-safe.
 */
public final class TokenRevocations implements RevokedTokens {

  /** How often the cut-offs are read again from the store. */
  public static final long CUT_OFF_POLL_MILLIS = 500;
  /** Revoked session ids share the jti table under this prefix (a jti is a UUID, never like it). */
  private static final String SESSION_PREFIX = "sid:";
  /** The verifier accepts this much clock skew past a token's {@code exp}. */
  private static final Duration SKEW = Duration.ofSeconds(JwtVerifier.MAX_CLOCK_SKEW_SECONDS);

  /** How the other instances are told of a change stored here. */
  public interface Announcer {
    Announcer NONE = new Announcer() {
      @Override
      public void revoked(String id, Instant expiresAt) {
      }

      @Override
      public void cutOff(String subject, Instant notBefore) {
      }
    };

    /** @param id a token's jti, or {@code sid:} and a session id */
    void revoked(String id, Instant expiresAt);

    void cutOff(String subject, Instant notBefore);
  }

  private final String issuer;
  private final RevocationStore store;
  private final Clock clock;
  private final Duration accessTtl;
  private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
  private final Map<String, Instant> sessions = new ConcurrentHashMap<>();
  /** Subject to its cut-off, an epoch second: tokens with an earlier {@code iat} are refused. */
  private final Map<String, Long> cutOffs = new ConcurrentHashMap<>();
  private final Announcer announce;

  /** A single instance's list: nobody else to tell. */
  public TokenRevocations(String issuer, RevocationStore store, Clock clock, Duration accessTtl) {
    this(issuer, store, clock, accessTtl, Announcer.NONE);
  }

  /**
   * @param accessTtl the lifetime of access tokens: how long a session's or a subject's entry must refuse them
   * @param announce tells the other instances of a change once it is stored
   */
  public TokenRevocations(String issuer, RevocationStore store, Clock clock, Duration accessTtl, Announcer announce) {
    this.issuer = issuer;
    this.store = store;
    this.clock = clock;
    this.accessTtl = accessTtl;
    this.announce = announce;
  }

  /** Reads the stored list; call it before serving, and again after missing announcements. */
  public Future<Void> load() {
    return store.live(clock.instant()).compose(live -> {
      live.forEach(this::learn);
      return reloadCutOffs();
    });
  }

  /** Reads the cut-offs again: what another process (the CLI) stored without announcing it. */
  public Future<Void> reloadCutOffs() {
    return store.cutOffs(clock.instant()).map(live -> {
      live.forEach(this::learnCutOff);
      return null;
    });
  }

  /**
   * Revokes the token {@code jti} names, until it has expired even by the verifier's clock skew;
   * durable when the future completes.
   */
  public Future<Void> revoke(String jti, Instant expiresAt) {
    Instant until = expiresAt.plus(SKEW);
    return store.insert(jti, until).andThen(done -> {
      if (done.succeeded()) {
        learn(jti, until);
        announce.revoked(jti, until);
      }
    });
  }

  /** Revokes the access tokens issued with {@code tokens} that have not expired; durable when the future completes. */
  public Future<Void> revokeIssuedWith(List<RefreshToken> tokens) {
    Instant now = clock.instant();
    return Future.all(tokens.stream().filter(t -> t.accessExpiresAt().isAfter(now))
        .map(t -> revoke(t.accessJti(), t.accessExpiresAt())).toList()).mapEmpty();
  }

  /** Refuses every access token issued with the session {@code sid} from now on; durable when the future completes. */
  public Future<Void> revokeSession(String sid) {
    return revoke(SESSION_PREFIX + sid, clock.instant().plus(accessTtl));
  }

  /** Refuses every access token of {@code subject} issued until now; durable when the future completes. */
  public Future<Void> cutOff(String subject) {
    Instant next = Instant.ofEpochSecond(secondAfter(clock.millis()));
    return store.cutOff(subject, next, next.plus(accessTtl).plus(SKEW)).map(inForce -> {
      learnCutOff(subject, inForce);
      announce.cutOff(subject, inForce);
      return null;
    });
  }

  /** A revocation another instance stored and announced: held in memory from now on. */
  public void learn(String id, Instant expiresAt) {
    if (!expiresAt.isAfter(clock.instant())) {
      return;
    }
    if (id.startsWith(SESSION_PREFIX)) {
      sessions.put(id.substring(SESSION_PREFIX.length()), expiresAt);
    } else {
      revoked.put(id, expiresAt);
    }
  }

  /** A cut-off another instance (or the CLI) stored: tokens of {@code subject} issued before it are refused. */
  public void learnCutOff(String subject, Instant notBefore) {
    cutOffs.merge(subject, notBefore.getEpochSecond(), Math::max);
  }

  /**
   * The {@code iat} for a token of {@code subject} minted at {@code now}: now, or the second of the
   * subject's cut-off when that is later (within the verifier's skew), so that a token minted right
   * after a cut-off is not refused by it.
   */
  public Instant issuedAt(String subject, Instant now) {
    Long cutOff = cutOffs.get(subject);
    long second = now.getEpochSecond();
    return Instant.ofEpochSecond(cutOff == null ? second : Math.max(second, cutOff));
  }

  /** The epoch second after the one {@code millis} falls in. */
  private static long secondAfter(long millis) {
    return Math.floorDiv(millis, 1000) + 1;
  }

  /** Forgets entries whose tokens have expired. */
  public Future<Integer> sweep() {
    Instant now = clock.instant();
    revoked.values().removeIf(expiry -> !expiry.isAfter(now));
    sessions.values().removeIf(expiry -> !expiry.isAfter(now));
    long oldest = now.minus(accessTtl).minus(SKEW).getEpochSecond();
    cutOffs.values().removeIf(second -> second < oldest);
    return store.deleteExpired(now);
  }

  @Override
  public boolean isRevoked(String tokenIssuer, VerifiedToken token) {
    if (!issuer.equals(tokenIssuer)) {
      return false;
    }
    if (token.jti() != null && !revoked.isEmpty() && revoked.containsKey(token.jti())) {
      return true;
    }
    if (token.sid() != null && !sessions.isEmpty() && sessions.containsKey(token.sid())) {
      return true;
    }
    if (cutOffs.isEmpty()) {
      return false;
    }
    Long cutOff = cutOffs.get(token.principal().subject());
    // A token without iat cannot show it came after the cut-off.
    return cutOff != null && (token.issuedAt() == null || token.issuedAt().getEpochSecond() < cutOff);
  }
}
