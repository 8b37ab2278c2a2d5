package io.gatehouse.identity;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import javax.crypto.spec.SecretKeySpec;

/**
 * TOTP codes (RFC 6238) as every authenticator app makes them: HMAC-SHA1, 30-second steps, six
 * digits (§4, §5.2), computed by java-otp. A code is accepted for the current step and one step on
 * either side (§5.2: "at most one time step is allowed as the network delay"), so a phone whose
 * clock is half a minute off still signs in; which step matched is answered so that the caller can
 * refuse a step already used (§5.2: "the verifier MUST NOT accept the second attempt of the same
 * OTP"). Stateless and thread-safe.
 */
public final class TotpVerifier {

  public static final Duration STEP = Duration.ofSeconds(30);
  public static final int DIGITS = 6;
  /** Steps accepted on each side of the current one. */
  static final int WINDOW = 1;

  private final TimeBasedOneTimePasswordGenerator generator = new TimeBasedOneTimePasswordGenerator(STEP, DIGITS);

  /** The RFC 6238 time step {@code T} of {@code at}: whole {@link #STEP}s since the epoch. */
  public static long step(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), STEP.toSeconds());
  }

  /** The code of {@code secret} for the step of {@code at}: the one the verifier compares, and the ITs' authenticator. */
  public String code(byte[] secret, Instant at) {
    try {
      return generator.generateOneTimePasswordString(key(secret), at);
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("not a TOTP secret", e);
    }
  }

  /**
   * The step within the window around {@code now} whose code {@code code} is, newest first; empty
   * for anything else, a code of the wrong shape included. Every step of the window is computed,
   * and compared in constant time, whether one matched or not.
   */
  public OptionalLong matchingStep(byte[] secret, String code, Instant now) {
    if (code == null || code.length() != DIGITS || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    long current = step(now);
    long matched = Long.MIN_VALUE;
    byte[] presented = code.getBytes(StandardCharsets.US_ASCII);
    for (long step = current + WINDOW; step >= current - WINDOW; step--) {
      byte[] expected = code(secret, Instant.ofEpochSecond(step * STEP.toSeconds())).getBytes(StandardCharsets.US_ASCII);
      if (MessageDigest.isEqual(expected, presented) && matched == Long.MIN_VALUE) {
        matched = step;
      }
    }
    return matched == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(matched);
  }

  private SecretKeySpec key(byte[] secret) {
    return new SecretKeySpec(secret, generator.getAlgorithm());
  }
}
