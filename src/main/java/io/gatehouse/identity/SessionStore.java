package io.gatehouse.identity;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where sessions live, keyed by the SHA-256 of their token. Writes are durable when their future completes. */
public interface SessionStore {

  Future<Void> insert(Session session);

  Future<Optional<Session>> byTokenHash(String tokenHash);

  /** Records use of a session (sliding idle expiry). */
  Future<Void> touch(String tokenHash, Instant lastSeenAt);

  /** @return false when there was no such session */
  Future<Boolean> delete(String tokenHash);

  /** A user's sessions, newest first. */
  Future<List<Session>> forUser(String userId);

  /** Ends every session of a user but {@code keepTokenHash} (null ends all); returns how many ended. */
  Future<Integer> deleteForUser(String userId, String keepTokenHash);

  /** Removes sessions whose absolute end, or last use plus {@code idleCutoff}, lies before now. */
  Future<Integer> deleteExpired(Instant now, Instant idleCutoff);
}
