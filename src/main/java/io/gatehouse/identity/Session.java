package io.gatehouse.identity;

import io.gatehouse.config.AuthLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A login. The token that names it is held only by the caller; the store keeps its SHA-256.
 *
 * @param lastSeenAt when it was last used, written back at most once a minute
 * @param createdAt when the user signed in: the session's {@code auth_time} (OpenID Connect Core §2);
 *     a step-up starts a new session
 * @param expiresAt the absolute end, however active the session is
 * @param amr how the user signed in (RFC 8176 values, such as {@code ["pwd","otp"]}); never empty
 */
public record Session(String tokenHash, String userId, Instant createdAt, Instant lastSeenAt, Instant expiresAt,
    List<String> amr) {

  /**
   * How recent a sign-in must be for a change that an attacker holding the session could use to
   * keep or widen their hold (enrolling their own authenticator, and, on the account pages, what
   * lowers the account's security): the user proves it is them again first.
   */
  public static final Duration FRESH_SIGN_IN = Duration.ofMinutes(5);

  public Session {
    amr = List.copyOf(amr);
    if (amr.isEmpty()) {
      throw new IllegalArgumentException("a session records how its user signed in");
    }
  }

  /** The {@code acr} its sign-in proves ({@link AuthLevel}). */
  public String acr() {
    return AuthLevel.of(amr).acr();
  }

  /** True when the user signed in (or stepped up) within {@link #FRESH_SIGN_IN} of {@code now}. */
  public boolean signedInRecently(Instant now) {
    return !createdAt.plus(FRESH_SIGN_IN).isBefore(now);
  }

  /** The moment idleness ends the session, or the absolute end if that comes first. */
  public Instant endsAt(Duration idleTimeout) {
    Instant idleEnd = lastSeenAt.plus(idleTimeout);
    return idleEnd.isBefore(expiresAt) ? idleEnd : expiresAt;
  }
}
