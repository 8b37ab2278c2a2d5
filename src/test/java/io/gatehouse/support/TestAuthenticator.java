package io.gatehouse.support;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.extension.authenticator.AuthenticationExtensionAuthenticatorOutput;
import com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * A software passkey for tests: one ES256 discoverable credential, answering creation and request
 * options as a platform authenticator behind a browser would (WebAuthn Level 3 §6.1 authenticator
 * data, attestation "none", §6.3.3 assertion signature over authenticatorData ‖ SHA-256(clientDataJSON)).
 * Every knob a hostile or broken client could turn is a parameter: origin, flags, counter, user handle.
 * webauthn4j's data classes encode the CBOR; the key and the signature are the JDK's.
 */
public final class TestAuthenticator {

  public static final byte UP = AuthenticatorData.BIT_UP;
  public static final byte UV = AuthenticatorData.BIT_UV;
  public static final byte BE = AuthenticatorData.BIT_BE;
  public static final byte BS = AuthenticatorData.BIT_BS;

  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
  private static final ObjectConverter CONVERTER = new ObjectConverter();

  private final KeyPair keys;
  private final byte[] credentialId = new byte[32];
  private byte[] userHandle;

  public TestAuthenticator() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    new SecureRandom().nextBytes(credentialId);
  }

  public String credentialId() {
    return URL.encodeToString(credentialId);
  }

  /** The registration response, as {@code PublicKeyCredential.toJSON()} gives it, to creation options' {@code publicKey}. */
  public JsonObject create(JsonObject options, String origin, byte flags, long counter) {
    userHandle = Base64.getUrlDecoder().decode(options.getJsonObject("user").getString("id"));
    String rpId = options.getJsonObject("rp").getString("id");
    AuthenticatorData<RegistrationExtensionAuthenticatorOutput> data = new AuthenticatorData<>(sha256(rpId),
        (byte) (flags | AuthenticatorData.BIT_AT), counter, new AttestedCredentialData(AAGUID.ZERO, credentialId,
        EC2COSEKey.create((ECPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.ES256)));
    byte[] attestation = new AttestationObjectConverter(CONVERTER).convertToBytes(
        new AttestationObject(data, new NoneAttestationStatement()));
    byte[] clientData = clientData("webauthn.create", options.getString("challenge"), origin);
    return new JsonObject().put("id", credentialId()).put("rawId", credentialId()).put("type", "public-key")
        .put("authenticatorAttachment", "platform").put("clientExtensionResults", new JsonObject())
        .put("response", new JsonObject().put("clientDataJSON", URL.encodeToString(clientData))
            .put("attestationObject", URL.encodeToString(attestation))
            .put("transports", new io.vertx.core.json.JsonArray().add("internal"))
            // What PublicKeyCredential.toJSON() adds beside them (WebAuthn Level 3 §5.2.1.1).
            .put("authenticatorData", URL.encodeToString(new AuthenticatorDataConverter(CONVERTER).convert(data)))
            .put("publicKey", URL.encodeToString(keys.getPublic().getEncoded()))
            .put("publicKeyAlgorithm", -7));
  }

  /** A registration as a conforming authenticator with user verification makes it (UP, UV, counter 0). */
  public JsonObject create(JsonObject options, String origin) {
    return create(options, origin, (byte) (UP | UV), 0);
  }

  /**
   * The authentication response to request options' {@code publicKey}, signed by this credential.
   *
   * @param userHandle the user handle to send, or null for the one registered
   */
  public JsonObject get(JsonObject options, String origin, byte flags, long counter, byte[] userHandle) {
    byte[] authenticatorData = new AuthenticatorDataConverter(CONVERTER).convert(
        new AuthenticatorData<AuthenticationExtensionAuthenticatorOutput>(sha256(options.getString("rpId")), flags,
            counter));
    byte[] clientData = clientData("webauthn.get", options.getString("challenge"), origin);
    byte[] signature;
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(keys.getPrivate());
      signer.update(ByteBuffer.allocate(authenticatorData.length + 32).put(authenticatorData).put(sha256(clientData))
          .array());
      signature = signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return new JsonObject().put("id", credentialId()).put("rawId", credentialId()).put("type", "public-key")
        .put("authenticatorAttachment", "platform").put("clientExtensionResults", new JsonObject())
        .put("response", new JsonObject().put("clientDataJSON", URL.encodeToString(clientData))
            .put("authenticatorData", URL.encodeToString(authenticatorData))
            .put("signature", URL.encodeToString(signature))
            .put("userHandle", URL.encodeToString(userHandle != null ? userHandle : this.userHandle)));
  }

  /** An assertion as a conforming authenticator with user verification makes it. */
  public JsonObject get(JsonObject options, String origin, long counter) {
    return get(options, origin, (byte) (UP | UV), counter, null);
  }

  private static byte[] clientData(String type, String challenge, String origin) {
    return new JsonObject().put("type", type).put("challenge", challenge).put("origin", origin)
        .put("crossOrigin", false).encode().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
