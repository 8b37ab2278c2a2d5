package io.gatehouse.identity.passkey;

import io.gatehouse.config.AuthLevel;
import io.gatehouse.identity.Sessions;
import io.vertx.core.Future;
import java.util.List;

/**
 * Signing in with a passkey: an assertion {@link PasskeyAssertions} verified starts a session,
 * exactly as a password login does. The one place passkeys start sessions. Thread-safe.
 */
public final class PasskeySignIn {

  private final PasskeyAssertions assertions;
  private final Sessions sessions;

  public PasskeySignIn(PasskeyAssertions assertions, Sessions sessions) {
    this.assertions = assertions;
    this.sessions = sessions;
  }

  /**
   * How a passkey sign-in is recorded (RFC 8176): proof of a hardware-bound key, and the user
   * verified by the authenticator (required). It meets {@code auth_level: mfa} on its own.
   */
  static final List<String> AMR = List.of(AuthLevel.HARDWARE_KEY, AuthLevel.USER_PRESENCE);

  /** Who signed in with which passkey, and the session started for them. */
  public record SignedIn(PasskeyAssertions.Verified verified, Sessions.Issued session) {
  }

  /**
   * Verifies the answer to the sign-in {@code handle} names and starts a session for its user.
   *
   * @param device the sign-in request's {@code User-Agent} (null when absent), kept with the session
   * @param address the sign-in request's client address (null when unknown), kept with the session
   * @throws PasskeyRejected (as the failed future) when it admits no one; nothing was started
   */
  public Future<SignedIn> signIn(String handle, String credentialJson, String device, String address) {
    return assertions.verify(handle, credentialJson).compose(verified ->
        sessions.start(verified.user(), AMR, device, address).map(issued -> new SignedIn(verified, issued)));
  }

  public PasskeyAssertions assertions() {
    return assertions;
  }
}
