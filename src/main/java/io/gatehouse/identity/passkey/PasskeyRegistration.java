package io.gatehouse.identity.passkey;

import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput;
import com.webauthn4j.verifier.exception.VerificationException;
import io.gatehouse.identity.InvalidFieldException;
import io.gatehouse.identity.User;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Registering a passkey for a signed-in user (WebAuthn Level 3 §7.1): the creation options (§5.4)
 * with a challenge bound to the session that asked, then the verification of the authenticator's
 * answer by webauthn4j — challenge, origin, RP id hash, user presence and user verification
 * (required), an allowed algorithm, a well-formed attestation ("none" accepted) — and its storage,
 * with its id unique over all users (§7.1 step 26). Thread-safe.
 */
public final class PasskeyRegistration {

  /** Passkeys one user may have: plenty for every device and provider, and a bound on what one account stores. */
  public static final int MAX_PER_USER = 20;
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private final RelyingParty party;
  private final WebAuthnChallenges challenges;
  private final PasskeyStore store;
  private final Clock clock;

  public PasskeyRegistration(RelyingParty party, WebAuthnChallenges challenges, PasskeyStore store, Clock clock) {
    this.party = party;
    this.challenges = challenges;
    this.store = store;
    this.clock = clock;
  }

  /**
   * What {@code navigator.credentials.create()} is asked for (§5.4).
   *
   * @param userHandle the user handle (§14.6.1: the user's id, no personal data)
   * @param exclude the user's passkeys, which the authenticator must not register again
   */
  public record CreationOptions(String rpId, String rpName, byte[] challenge, byte[] userHandle, String userName,
      List<Passkey> exclude, Duration timeout) {
  }

  /**
   * Creation options for {@code user}, whose session's token hashes to {@code sessionHash}; the
   * challenge replaces any registration that session had pending.
   */
  public Future<CreationOptions> options(User user, String sessionHash) {
    return store.forUser(user.id()).compose(existing -> challenges
        .issue(WebAuthnChallenges.registrationKey(sessionHash), user.id())
        .map(challenge -> new CreationOptions(party.id(), party.name(), challenge, userHandle(user.id()),
            user.username(), existing, challenges.ttl())));
  }

  /**
   * Verifies the answer to the session's pending registration (§7.1) and stores the passkey.
   *
   * @param credentialJson the {@code PublicKeyCredential} as its {@code toJSON()} gives it
   * @param name what the user calls it (checked by {@link Passkeys#checkName})
   * @throws PasskeyRejected (as the failed future) when the challenge is not this session's and
   *     this user's, or the response fails verification
   * @throws InvalidFieldException (as the failed future) for a malformed response or name, an id
   *     registered already, or a user with {@link #MAX_PER_USER} passkeys
   */
  public Future<Passkey> register(User user, String sessionHash, String credentialJson, String name) {
    String checkedName;
    RegistrationData data;
    try {
      checkedName = Passkeys.checkName(name);
      data = party.parseRegistration(credentialJson);
    } catch (InvalidFieldException e) {
      return Future.failedFuture(e);
    }
    return challenges.take(WebAuthnChallenges.registrationKey(sessionHash)).compose(challenge -> {
      if (!user.id().equals(challenge.userId())) {
        // The session's user changed under it? Never expected; refused all the same.
        return Future.failedFuture(new PasskeyRejected("challenge_other_user", user.id()));
      }
      try {
        party.manager().verify(data, new RegistrationParameters(party.expecting(WebAuthnChallenges.bytes(challenge)),
            RelyingParty.ALGORITHMS, true, true));
      } catch (VerificationException e) {
        return Future.failedFuture(new PasskeyRejected(PasskeyAssertions.reason(e), user.id()));
      }
      AuthenticatorData<RegistrationExtensionAuthenticatorOutput> authenticator =
          data.getAttestationObject().getAuthenticatorData();
      AttestedCredentialData credential = authenticator.getAttestedCredentialData();
      Set<AuthenticatorTransport> transports = data.getTransports();
      Passkey passkey = new Passkey(URL.encodeToString(credential.getCredentialId()), user.id(), checkedName,
          party.encode(credential.getCOSEKey()), credential.getAaguid().getValue().toString(),
          authenticator.getSignCount(), authenticator.isFlagUV(), authenticator.isFlagBE(), authenticator.isFlagBS(),
          transports == null ? List.of() : transports.stream().map(AuthenticatorTransport::getValue).sorted().toList(),
          clock.instant(), null);
      return store.insert(passkey, MAX_PER_USER).map(inserted -> switch (inserted) {
        case ADDED -> passkey;
        case DUPLICATE -> throw new InvalidFieldException("credential", "is a passkey registered already");
        case FULL -> throw new InvalidFieldException("credential",
            "would be more than " + MAX_PER_USER + " passkeys; remove one first");
      });
    });
  }

  /** The user handle of {@code userId} (§5.4.3: at most 64 bytes, and a user id is a UUID). */
  static byte[] userHandle(String userId) {
    return userId.getBytes(StandardCharsets.UTF_8);
  }
}
