package io.gatehouse.identity.passkey;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import io.gatehouse.config.PasskeysConfig;
import io.gatehouse.identity.InvalidFieldException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * This gateway as a WebAuthn relying party (WebAuthn Level 3 §4): its RP id and name, the origins
 * its ceremonies may come from, the algorithms it takes, and webauthn4j's {@link WebAuthnManager},
 * which parses and verifies every response (CBOR, COSE keys, signatures, flags, counters). Attestation
 * is not asked for ({@code "none"}): passkeys are accepted from any authenticator model. Thread-safe.
 */
public final class RelyingParty {

  /**
   * ES256, EdDSA and RS256, in the order offered (§5.4, {@code pubKeyCredParams}): what passkey
   * providers make, the first preferred.
   */
  static final List<PublicKeyCredentialParameters> ALGORITHMS = List.of(
      new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256),
      new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.EdDSA),
      new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.RS256));

  /** A response is a few kilobytes; far more is not one (and is refused before parsing). */
  static final int MAX_RESPONSE_CHARS = 16 * 1024;

  private final PasskeysConfig config;
  private final Set<Origin> origins;
  private final ObjectConverter converter = new ObjectConverter();
  private final WebAuthnManager manager = WebAuthnManager.createNonStrictWebAuthnManager(converter);

  public RelyingParty(PasskeysConfig config) {
    this.config = config;
    this.origins = config.origins().stream().map(Origin::new).collect(Collectors.toUnmodifiableSet());
  }

  public String id() {
    return config.rpId();
  }

  public String name() {
    return config.rpName();
  }

  WebAuthnManager manager() {
    return manager;
  }

  /** What the client data and authenticator data of a ceremony answering {@code challenge} must match. */
  ServerProperty expecting(byte[] challenge) {
    return new ServerProperty(origins, config.rpId(), new DefaultChallenge(challenge));
  }

  /**
   * A registration response in the JSON of {@code PublicKeyCredential.toJSON()} (§5.1.8), parsed.
   *
   * @throws InvalidFieldException naming {@code credential} when it is not one
   */
  RegistrationData parseRegistration(String json) {
    checkSize(json);
    try {
      RegistrationData data = manager.parseRegistrationResponseJSON(json);
      if (data.getAttestationObject() == null || data.getCollectedClientData() == null) {
        throw new InvalidFieldException("credential", "is not a WebAuthn registration response");
      }
      return data;
    } catch (InvalidFieldException e) {
      throw e;
    } catch (RuntimeException e) {
      // webauthn4j's parsing of hostile input fails in more ways than DataConversionException (a
      // missing member is a NullPointerException): whatever it is, the input is not a response.
      throw new InvalidFieldException("credential", "is not a WebAuthn registration response");
    }
  }

  /**
   * An authentication response in the JSON of {@code PublicKeyCredential.toJSON()} (§5.1.8), parsed.
   *
   * @throws InvalidFieldException naming {@code credential} when it is not one
   */
  AuthenticationData parseAssertion(String json) {
    checkSize(json);
    try {
      AuthenticationData data = manager.parseAuthenticationResponseJSON(json);
      if (data.getCredentialId() == null || data.getAuthenticatorData() == null
          || data.getCollectedClientData() == null || data.getSignature() == null) {
        throw new InvalidFieldException("credential", "is not a WebAuthn authentication response");
      }
      return data;
    } catch (InvalidFieldException e) {
      throw e;
    } catch (RuntimeException e) {
      // As in parseRegistration: any failure to parse means the input is not a response.
      throw new InvalidFieldException("credential", "is not a WebAuthn authentication response");
    }
  }

  /** The COSE_Key as stored. */
  byte[] encode(COSEKey key) {
    return converter.getCborConverter().writeValueAsBytes(key);
  }

  /** A stored COSE_Key. */
  COSEKey decode(byte[] key) {
    return converter.getCborConverter().readValue(key, COSEKey.class);
  }

  private static void checkSize(String json) {
    if (json.length() > MAX_RESPONSE_CHARS) {
      throw new InvalidFieldException("credential", "is larger than a WebAuthn response");
    }
  }
}
