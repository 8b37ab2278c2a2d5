package io.gatehouse.identity;

import io.gatehouse.config.SessionsConfig;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Session lifecycle: a fresh 256-bit token at every login (no fixation), stored as its SHA-256;
 * idle and absolute expiry; the idle clock is written back at most once a minute, not on every
 * request; a session checked a moment ago is not read again ({@link RecentSessions}). Also
 * derives each session's CSRF token, so nothing extra is stored.
 */
public final class Sessions {

  /**
   * Use is written back once this much time passed since the last write (a tenth of the idle
   * timeout, at most a minute), so idle expiry is exact to it and a short idle timeout still works.
   */
  static final Duration MAX_TOUCH_INTERVAL = Duration.ofMinutes(1);
  private static final byte[] CSRF_LABEL = "gatehouse csrf v1".getBytes(StandardCharsets.US_ASCII);

  /** A new session and the token that names it, which only the caller will hold. */
  public record Issued(String token, Session session) {
  }

  /** A live session and its user. */
  public record Active(String token, Session session, User user) {
  }

  /**
   * Tells the other instances that a session ended or a user changed, so that they forget what
   * they checked a moment ago at once rather than after {@link RecentSessions#FRESH_FOR}.
   */
  public interface Changes {
    Changes NONE = new Changes() {
      @Override
      public void sessionEnded(String tokenHash) {
      }

      @Override
      public void userChanged(String userId) {
      }
    };

    void sessionEnded(String tokenHash);

    void userChanged(String userId);
  }

  private final SessionStore sessions;
  private final UserStore users;
  private volatile Settings settings;
  private final SecretTokens tokens;
  private final Clock clock;
  private final RecentSessions recent = new RecentSessions();
  private final Changes changes;
  private final IssuedTokens issued;

  /**
   * @param changes where this instance's session ends and user changes are announced
   * @param issued the tokens issued on a session's or an account's strength, which end with it
   */
  public Sessions(SessionStore sessions, UserStore users, SessionsConfig config, SecretTokens tokens, Clock clock,
      Changes changes, IssuedTokens issued) {
    this.sessions = sessions;
    this.users = users;
    this.settings = Settings.of(config);
    this.tokens = tokens;
    this.clock = clock;
    this.changes = changes;
    this.issued = issued;
  }

  /** The timeouts and the settings derived from them, swapped whole on a reload. */
  private record Settings(SessionsConfig config, Duration touchInterval) {
    static Settings of(SessionsConfig config) {
      Duration tenth = config.idleTimeout().dividedBy(10);
      return new Settings(config, tenth.compareTo(MAX_TOUCH_INTERVAL) < 0 ? tenth : MAX_TOUCH_INTERVAL);
    }
  }

  /**
   * Applies reloaded {@code sessions} settings: from now on every session, the existing ones too,
   * is judged by the new timeouts.
   */
  public void reconfigure(SessionsConfig config) {
    this.settings = Settings.of(config);
  }

  public Duration idleTimeout() {
    return settings.config().idleTimeout();
  }

  public Duration absoluteTimeout() {
    return settings.config().absoluteTimeout();
  }

  /**
   * Starts a session for {@code user}, who has just signed in by {@code amr}; durable when the future
   * completes. Every way of signing in ends here: password ({@code ["pwd"]}), password and TOTP
   * ({@code ["pwd","otp"]}), passkey ({@code ["hwk","user"]}).
   *
   * @param amr the RFC 8176 methods the user proved, recorded for the session's {@code acr}, and for
   *     the tokens and id tokens issued on its strength
   */
  public Future<Issued> start(User user, List<String> amr) {
    return start(user, amr, null, null);
  }

  /**
   * Starts a session as {@link #start(User, List)} does, remembering where the sign-in came from so
   * the user can tell their sessions apart.
   *
   * @param device the request's {@code User-Agent} as sent (null when absent); kept as
   *     {@link Session#device(String)} leaves it
   * @param address the request's client address (null when unknown)
   */
  public Future<Issued> start(User user, List<String> amr, String device, String address) {
    String token = tokens.newToken();
    Instant now = clock.instant();
    Session session = new Session(SecretTokens.sha256(token), user.id(), now, now,
        now.plus(settings.config().absoluteTimeout()), amr, device, address);
    return sessions.insert(session).map(done -> new Issued(token, session));
  }

  /**
   * The live session {@code token} names and its (enabled) user, or empty. An expired session is
   * deleted on sight; a disabled user's sessions stop working at once on this instance, and
   * within {@link RecentSessions#FRESH_FOR} on every other.
   */
  public Future<Optional<Active>> resolve(String token) {
    if (token == null || token.length() != 43) {
      return Future.succeededFuture(Optional.empty());
    }
    String hash = SecretTokens.sha256(token);
    Instant checkedAt = clock.instant();
    RecentSessions.Checked checked = recent.fresh(hash, checkedAt);
    if (checked != null && checkedAt.isBefore(checked.session().endsAt(settings.config().idleTimeout()))) {
      return Future.succeededFuture(Optional.of(new Active(token, checked.session(), checked.user())));
    }
    return sessions.byTokenHash(hash).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Optional.<Active>empty());
      }
      Session session = found.get();
      Instant now = clock.instant();
      if (!now.isBefore(session.endsAt(settings.config().idleTimeout()))) {
        return sessions.delete(hash).map(deleted -> Optional.<Active>empty());
      }
      return users.byId(session.userId()).compose(user -> {
        if (user.isEmpty() || user.get().disabled()) {
          return Future.succeededFuture(Optional.<Active>empty());
        }
        if (Duration.between(session.lastSeenAt(), now).compareTo(settings.touchInterval()) < 0) {
          recent.remember(session, user.get(), checkedAt);
          return Future.succeededFuture(Optional.of(new Active(token, session, user.get())));
        }
        Session touched = session.seenAt(now);
        return sessions.touch(hash, now).map(done -> {
          recent.remember(touched, user.get(), checkedAt);
          return Optional.of(new Active(token, touched, user.get()));
        });
      });
    });
  }

  /**
   * Ends the session {@code token} names and the tokens issued with it; durable when the future
   * completes.
   */
  public Future<Boolean> end(String token) {
    return revoke(SecretTokens.sha256(token));
  }

  /**
   * The account's credentials follow a change of it (its password, roles, disabled or deleted, or
   * "log out everywhere"): every session of {@code userId} except {@code keepToken} (null: all)
   * ends, and so do all its refresh tokens and the access tokens issued to it until now, on every
   * instance within a second. Durable when the future completes.
   *
   * @return how many sessions ended
   */
  public Future<Integer> accountChanged(String userId, String keepToken) {
    return issued.revokeUser(userId)
        .compose(revoked -> sessions.deleteForUser(userId, keepToken == null ? null : SecretTokens.sha256(keepToken)))
        .andThen(done -> userChanged(userId));
  }

  /** The sessions of {@code userId}, newest first; each is identified by the SHA-256 of its token. */
  public Future<List<Session>> forUser(String userId) {
    return sessions.forUser(userId);
  }

  /**
   * Ends the session whose token hashes to {@code tokenHash} and the tokens issued with it;
   * durable when the future completes.
   */
  public Future<Boolean> revoke(String tokenHash) {
    return sessions.delete(tokenHash).andThen(done -> {
      recent.forget(tokenHash);
      changes.sessionEnded(tokenHash);
    }).compose(ended -> issued.revokeSession(tokenHash).map(ended));
  }

  /**
   * The user {@code userId} changed (disabled, roles, deleted): its sessions are checked afresh
   * here, and the other instances are told to do the same.
   */
  public void userChanged(String userId) {
    recent.forgetUser(userId);
    changes.userChanged(userId);
  }

  /** Another instance ended this session: forget having checked it. */
  public void endedElsewhere(String tokenHash) {
    recent.forget(tokenHash);
  }

  /** Another instance changed this user: check its sessions afresh. */
  public void userChangedElsewhere(String userId) {
    recent.forgetUser(userId);
  }

  /**
   * Removes expired sessions from the store, and what is no longer fresh from memory; run now and
   * then, never needed for correctness.
   */
  public Future<Integer> sweep() {
    Instant now = clock.instant();
    recent.sweep(now);
    return sessions.deleteExpired(now, now.minus(settings.config().idleTimeout()));
  }

  /**
   * The CSRF token of the session {@code token} names: HMAC-SHA256 of a fixed label keyed by the
   * session token. Only the session's holder can compute it, and it needs no storage.
   */
  public static String csrfToken(String sessionToken) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(sessionToken.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(CSRF_LABEL));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
