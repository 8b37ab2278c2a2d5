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
 * @param device the {@code User-Agent} the sign-in came with, as {@link #device(String)} leaves it; null when
 *     absent. Told by the client, so shown to the user to recognise a session by, never trusted
 * @param address the client address the sign-in came from ({@code Request.clientAddress()}); null when unknown
 */
public record Session(String tokenHash, String userId, Instant createdAt, Instant lastSeenAt, Instant expiresAt,
    List<String> amr, String device, String address) {

  /** The most of a {@code User-Agent} a session keeps: enough to tell a browser and system apart. */
  static final int MAX_DEVICE_LENGTH = 200;

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
    device = device(device);
  }

  /** A session whose device and address are not known (stored before they were recorded). */
  public Session(String tokenHash, String userId, Instant createdAt, Instant lastSeenAt, Instant expiresAt,
      List<String> amr) {
    this(tokenHash, userId, createdAt, lastSeenAt, expiresAt, amr, null, null);
  }

  /**
   * A {@code User-Agent} as a session keeps it: control and format characters removed (a client
   * chooses the text, and it is shown back on account pages and in lists, where line breaks or
   * bidirectional overrides could disguise it), surrounding white space trimmed, and cut to
   * {@value #MAX_DEVICE_LENGTH} characters, never through a surrogate pair. Null when nothing is
   * left. Applying it twice changes nothing, so every session, stored or new, passes through it.
   */
  public static String device(String userAgent) {
    if (userAgent == null) {
      return null;
    }
    StringBuilder kept = new StringBuilder(Math.min(userAgent.length(), MAX_DEVICE_LENGTH + 16));
    userAgent.codePoints()
        .filter(c -> Character.getType(c) != Character.CONTROL && Character.getType(c) != Character.FORMAT)
        .forEach(kept::appendCodePoint);
    String text = kept.toString().strip();
    if (text.length() > MAX_DEVICE_LENGTH) {
      int end = Character.isHighSurrogate(text.charAt(MAX_DEVICE_LENGTH - 1)) ? MAX_DEVICE_LENGTH - 1 : MAX_DEVICE_LENGTH;
      text = text.substring(0, end).strip();
    }
    return text.isEmpty() ? null : text;
  }

  /** This session, last used at {@code at}: the rest, how and where it started included, unchanged. */
  public Session seenAt(Instant at) {
    return new Session(tokenHash, userId, createdAt, at, expiresAt, amr, device, address);
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
