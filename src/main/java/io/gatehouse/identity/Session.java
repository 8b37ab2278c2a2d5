package io.gatehouse.identity;

import java.time.Duration;
import java.time.Instant;

/**
 * A login. The token that names it is held only by the caller; the store keeps its SHA-256.
 *
 * @param lastSeenAt when it was last used, written back at most once a minute
 * @param expiresAt the absolute end, however active the session is
 */
public record Session(String tokenHash, String userId, Instant createdAt, Instant lastSeenAt, Instant expiresAt) {

  /** The moment idleness ends the session, or the absolute end if that comes first. */
  public Instant endsAt(Duration idleTimeout) {
    Instant idleEnd = lastSeenAt.plus(idleTimeout);
    return idleEnd.isBefore(expiresAt) ? idleEnd : expiresAt;
  }
}
