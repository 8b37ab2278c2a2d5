package io.gatehouse.identity;

import java.time.Instant;
import java.util.List;

/**
 * A sign-in half done: the password was right, and a second factor (or, with
 * {@code identity.mfa: required}, its enrolment) must follow before any session starts. No route
 * admits it; only the second-factor endpoints read it, once.
 *
 * @param tokenHash the SHA-256 of the token only its browser (cookie) or app holds
 * @param amr what the user has proven so far ({@code ["pwd"]})
 * @param returnTo the same-origin path to go to once signed in
 * @param attempts wrong codes entered against it so far
 */
public record PendingSignIn(String tokenHash, String userId, Purpose purpose, List<String> amr, String returnTo,
    Instant createdAt, Instant expiresAt, int attempts) {

  /** What the user must do to finish signing in. */
  public enum Purpose {
    /** Enter a code of the factor they have. */
    VERIFY,
    /** Enrol a factor ({@code identity.mfa: required}) and confirm it with a first code. */
    ENROL
  }

  public PendingSignIn {
    amr = List.copyOf(amr);
  }
}
