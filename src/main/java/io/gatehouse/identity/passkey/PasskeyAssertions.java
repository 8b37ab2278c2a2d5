package io.gatehouse.identity.passkey;

import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.extension.authenticator.AuthenticationExtensionAuthenticatorOutput;
import com.webauthn4j.verifier.exception.BadBackupEligibleFlagException;
import com.webauthn4j.verifier.exception.BadChallengeException;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.BadRpIdException;
import com.webauthn4j.verifier.exception.BadSignatureException;
import com.webauthn4j.verifier.exception.CrossOriginException;
import com.webauthn4j.verifier.exception.IllegalBackupStateException;
import com.webauthn4j.verifier.exception.InconsistentClientDataTypeException;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.NotAllowedAlgorithmException;
import com.webauthn4j.verifier.exception.UserNotPresentException;
import com.webauthn4j.verifier.exception.UserNotVerifiedException;
import com.webauthn4j.verifier.exception.VerificationException;
import io.gatehouse.identity.InvalidFieldException;
import io.gatehouse.identity.User;
import io.gatehouse.identity.UserStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Signing in with a passkey alone (WebAuthn Level 3 §7.2), for discoverable credentials: request
 * options (§5.5) with no {@code allowCredentials} and user verification required, whose challenge
 * is bound to a random handle only the asker holds; then, for the answer, in this order: the
 * challenge is taken out of the store (once: a replay, a race or another's handle finds nothing or
 * the wrong challenge), the credential looked up by id (a removed passkey is unknown), its user
 * handle compared with its owner (§7.2 step 6), its owner checked enabled, and webauthn4j verifies
 * type, challenge, origin, RP id hash, UP and UV flags, the signature, the signature counter (§7.2
 * step 21: both non-zero and the new one not greater is a possible clone) and the backup flags (BE
 * may never change; BS without BE is invalid). Only then are the counter, backup state and
 * last-used time recorded, by a compare-and-set on the counter. Any failure changes nothing and
 * is a {@link PasskeyRejected} with the reason for the audit. Thread-safe.
 */
public final class PasskeyAssertions {

  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
  /** Credential ids are at most 1023 bytes (§5.8.3 note); base64url of that is 1364 characters. */
  private static final int MAX_CREDENTIAL_ID_CHARS = 1364;

  private final RelyingParty party;
  private final WebAuthnChallenges challenges;
  private final PasskeyStore store;
  private final UserStore users;
  private final Clock clock;

  public PasskeyAssertions(RelyingParty party, WebAuthnChallenges challenges, PasskeyStore store, UserStore users,
      Clock clock) {
    this.party = party;
    this.challenges = challenges;
    this.store = store;
    this.users = users;
    this.clock = clock;
  }

  /**
   * What {@code navigator.credentials.get()} is asked for (§5.5).
   *
   * @param handle what must come back with the answer (the browser's cookie, or the app's field)
   */
  public record RequestOptions(String handle, String rpId, byte[] challenge, Duration timeout) {
  }

  /** Whose passkey answered, and the passkey as it is now recorded. */
  public record Verified(User user, Passkey passkey) {
  }

  /** Request options with a fresh challenge under a fresh handle. */
  public Future<RequestOptions> options() {
    String handle = challenges.newHandle();
    return challenges.issue(WebAuthnChallenges.signInKey(handle), null)
        .map(challenge -> new RequestOptions(handle, party.id(), challenge, challenges.ttl()));
  }

  /**
   * Verifies the answer to the sign-in {@code handle} names (§7.2) and records the passkey's use.
   *
   * @param credentialJson the {@code PublicKeyCredential} as its {@code toJSON()} gives it
   * @throws PasskeyRejected (as the failed future) when it admits no one
   * @throws InvalidFieldException (as the failed future) when it is not an authentication response
   */
  public Future<Verified> verify(String handle, String credentialJson) {
    AuthenticationData data;
    try {
      data = party.parseAssertion(credentialJson);
    } catch (InvalidFieldException e) {
      return Future.failedFuture(e);
    }
    if (handle == null || handle.length() != 43) {
      return Future.failedFuture(new PasskeyRejected("challenge_unknown", null));
    }
    String credentialId = URL.encodeToString(data.getCredentialId());
    // The challenge first: whatever follows, this answer has had its one try.
    return challenges.take(WebAuthnChallenges.signInKey(handle)).compose(challenge -> {
      if (credentialId.length() > MAX_CREDENTIAL_ID_CHARS) {
        return Future.failedFuture(new PasskeyRejected("credential_unknown", null));
      }
      return store.byCredentialId(credentialId).compose(found -> {
        if (found.isEmpty()) {
          return Future.failedFuture(new PasskeyRejected("credential_unknown", null));
        }
        Passkey passkey = found.get();
        byte[] userHandle = data.getUserHandle();
        // §7.2 step 6: a discoverable credential names its user; it must be the passkey's owner.
        if (userHandle == null || !Arrays.equals(userHandle, PasskeyRegistration.userHandle(passkey.userId()))) {
          return Future.failedFuture(new PasskeyRejected("user_handle_mismatch", passkey.userId()));
        }
        return users.byId(passkey.userId()).compose(user -> {
          if (user.isEmpty() || user.get().disabled()) {
            return Future.failedFuture(new PasskeyRejected("user_disabled", passkey.userId()));
          }
          try {
            party.manager().verify(data, new AuthenticationParameters(
                party.expecting(WebAuthnChallenges.bytes(challenge)), record(passkey), null, true, true));
          } catch (VerificationException e) {
            return Future.failedFuture(new PasskeyRejected(reason(e), passkey.userId()));
          }
          AuthenticatorData<AuthenticationExtensionAuthenticatorOutput> authenticator = data.getAuthenticatorData();
          long counter = authenticator.getSignCount();
          return store.recordUse(passkey.credentialId(), passkey.signCount(), counter, authenticator.isFlagBS(),
              clock.instant()).compose(recorded -> recorded
              ? Future.succeededFuture(new Verified(user.get(), new Passkey(passkey.credentialId(), passkey.userId(),
                  passkey.name(), passkey.publicKey(), passkey.aaguid(), counter, passkey.uvInitialized(),
                  passkey.backupEligible(), authenticator.isFlagBS(), passkey.transports(), passkey.createdAt(),
                  clock.instant())))
              // Another sign-in with this passkey was recorded between our read and our write.
              : Future.failedFuture(new PasskeyRejected("counter_raced", passkey.userId())));
        });
      });
    });
  }

  /** The stored passkey as webauthn4j's credential record (§4), to verify an assertion against. */
  private CredentialRecordImpl record(Passkey passkey) {
    byte[] id = Base64.getUrlDecoder().decode(passkey.credentialId());
    Set<AuthenticatorTransport> transports = passkey.transports().stream().map(AuthenticatorTransport::create)
        .collect(Collectors.toSet());
    return new CredentialRecordImpl(null, passkey.uvInitialized(), passkey.backupEligible(), passkey.backupState(),
        passkey.signCount(), new AttestedCredentialData(new AAGUID(passkey.aaguid()), id, party.decode(
            passkey.publicKey())), null, null, null, transports);
  }

  /** The audit reason of a failed verification: which check failed, never what was presented. */
  static String reason(VerificationException e) {
    if (e instanceof MaliciousCounterValueException) {
      return "counter_regression";
    }
    if (e instanceof BadBackupEligibleFlagException || e instanceof IllegalBackupStateException) {
      return "backup_flags";
    }
    if (e instanceof UserNotVerifiedException) {
      return "user_not_verified";
    }
    if (e instanceof UserNotPresentException) {
      return "user_not_present";
    }
    if (e instanceof BadOriginException || e instanceof CrossOriginException) {
      return "origin";
    }
    if (e instanceof BadRpIdException) {
      return "rp_id";
    }
    if (e instanceof BadChallengeException) {
      return "challenge_mismatch";
    }
    if (e instanceof BadSignatureException) {
      return "signature";
    }
    if (e instanceof InconsistentClientDataTypeException) {
      return "client_data_type";
    }
    if (e instanceof NotAllowedAlgorithmException) {
      return "algorithm";
    }
    return "verification_failed";
  }
}
