package io.gatehouse.store;

import io.gatehouse.identity.Session;
import io.gatehouse.identity.SessionStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link SessionStore} on Redis, which every instance shares: a hash per session that Redis
 * expires when the session ends (idle or absolute, whichever comes first, moved on by each
 * {@link #touch}), and a per-user index so that "end every session of this user" is one step.
 * Every step is one atomic Lua script ({@code /redis/sessions.lua}) or one command. A session
 * that cannot be read while Redis is down is refused with 503, never let through
 * ({@link FailClosedRedis}).
 */
final class RedisSessionStore implements SessionStore {

  private static final LuaScript SCRIPT = LuaScript.load("sessions.lua");
  private static final List<String> FIELDS = List.of("user", "created", "seen", "expires", "amr", "device", "address");
  /** How many values {@code list} answers per session: its token hash, then each field but the user. */
  private static final int LISTED = FIELDS.size();
  /** A session stored before amr was recorded was a password sign-in. */
  private static final List<String> PASSWORD = List.of("pwd");

  private final FailClosedRedis redis;
  private final String sessionKeys;
  private final String indexKeys;
  private final Duration idleTimeout;
  private final Clock clock;

  /** @param idleTimeout how long a session lasts unused ({@code sessions.idle_timeout}) */
  RedisSessionStore(FailClosedRedis redis, String prefix, Duration idleTimeout, Clock clock) {
    this.redis = redis;
    this.sessionKeys = prefix + ":session:";
    this.indexKeys = prefix + ":user-sessions:";
    this.idleTimeout = idleTimeout;
    this.clock = clock;
  }

  @Override
  public Future<Void> insert(Session session) {
    Instant now = clock.instant();
    return redis.eval(SCRIPT, List.of(sessionKeys + session.tokenHash(), indexKeys + session.userId()),
        List.of("insert", session.tokenHash(), session.userId(), RedisValues.millis(session.createdAt()),
            RedisValues.millis(session.lastSeenAt()), RedisValues.millis(session.expiresAt()),
            RedisValues.ttl(now, session.endsAt(idleTimeout)), RedisValues.ttl(now, session.expiresAt()),
            String.join(" ", session.amr()), orEmpty(session.device()), orEmpty(session.address())))
        .mapEmpty();
  }

  @Override
  public Future<Optional<Session>> byTokenHash(String tokenHash) {
    return redis.send(RedisValues.hmget(sessionKeys + tokenHash, FIELDS))
        .map(fields -> fields.get(0) == null ? Optional.empty()
            : Optional.of(new Session(tokenHash, fields.get(0).toString(), RedisValues.instant(fields.get(1)),
                RedisValues.instant(fields.get(2)), RedisValues.instant(fields.get(3)), amr(fields.get(4)),
                RedisValues.text(fields.get(5)), RedisValues.text(fields.get(6)))));
  }

  /** Lua arguments cannot be nil: an unknown device or address goes as '', and the script leaves the field out. */
  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  /** A field {@code list} answered, '' where the session has none (stored without it, or before it was recorded). */
  private static String listed(Response value) {
    String text = RedisValues.text(value);
    return text == null || text.isEmpty() ? null : text;
  }

  private static List<String> amr(Response stored) {
    String text = stored == null ? "" : stored.toString();
    return text.isEmpty() ? PASSWORD : List.of(text.split(" "));
  }

  @Override
  public Future<Void> touch(String tokenHash, Instant lastSeenAt) {
    return redis.eval(SCRIPT, List.of(sessionKeys + tokenHash), List.of("touch", RedisValues.millis(lastSeenAt),
        Long.toString(idleTimeout.toMillis()), RedisValues.millis(clock.instant()))).mapEmpty();
  }

  @Override
  public Future<Boolean> delete(String tokenHash) {
    return redis.eval(SCRIPT, List.of(sessionKeys + tokenHash), List.of("delete", tokenHash, indexKeys))
        .map(deleted -> deleted.toInteger() == 1);
  }

  @Override
  public Future<List<Session>> forUser(String userId) {
    return redis.eval(SCRIPT, List.of(indexKeys + userId), List.of("list", sessionKeys)).map(found -> {
      List<Session> sessions = new ArrayList<>();
      for (int i = 0; i + LISTED - 1 < found.size(); i += LISTED) {
        sessions.add(new Session(found.get(i).toString(), userId, RedisValues.instant(found.get(i + 1)),
            RedisValues.instant(found.get(i + 2)), RedisValues.instant(found.get(i + 3)), amr(found.get(i + 4)),
            listed(found.get(i + 5)), listed(found.get(i + 6))));
      }
      return sessions;
    });
  }

  @Override
  public Future<Integer> deleteForUser(String userId, String keepTokenHash) {
    return redis.eval(SCRIPT, List.of(indexKeys + userId),
            List.of("end-all", sessionKeys, keepTokenHash == null ? "" : keepTokenHash))
        .map(Response::toInteger);
  }

  /** Redis expires sessions itself; nothing is left to sweep. */
  @Override
  public Future<Integer> deleteExpired(Instant now, Instant idleCutoff) {
    return Future.succeededFuture(0);
  }
}
