package io.gatehouse.identity.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.http.Json;
import io.gatehouse.identity.passkey.Passkey;
import io.gatehouse.identity.passkey.PasskeyAssertions;
import io.gatehouse.identity.passkey.PasskeyRegistration;
import java.util.Base64;

/**
 * The ceremonies' options as the JSON that WebAuthn Level 3's
 * {@code PublicKeyCredential.parseCreationOptionsFromJSON()} and
 * {@code parseRequestOptionsFromJSON()} read (§5.1.9, §5.1.10): binary values base64url.
 */
final class WebAuthnOptionsJson {

  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private WebAuthnOptionsJson() {
  }

  /**
   * {@code PublicKeyCredentialCreationOptionsJSON} (§5.4): a discoverable credential (resident key
   * required), user verification required, attestation {@code none}, the user's passkeys excluded.
   */
  static ObjectNode creation(PasskeyRegistration.CreationOptions options) {
    ObjectNode json = Json.object();
    json.putObject("rp").put("id", options.rpId()).put("name", options.rpName());
    json.putObject("user").put("id", URL.encodeToString(options.userHandle())).put("name", options.userName())
        .put("displayName", options.userName());
    json.put("challenge", URL.encodeToString(options.challenge()));
    ArrayNode algorithms = json.putArray("pubKeyCredParams");
    for (long alg : new long[] {-7, -8, -257}) { // ES256, EdDSA, RS256 (RelyingParty.ALGORITHMS)
      algorithms.addObject().put("type", "public-key").put("alg", alg);
    }
    json.put("timeout", options.timeout().toMillis());
    ArrayNode exclude = json.putArray("excludeCredentials");
    for (Passkey passkey : options.exclude()) {
      ObjectNode item = exclude.addObject().put("type", "public-key").put("id", passkey.credentialId());
      passkey.transports().forEach(item.putArray("transports")::add);
    }
    json.putObject("authenticatorSelection").put("residentKey", "required").put("requireResidentKey", true)
        .put("userVerification", "required");
    json.put("attestation", "none");
    return json;
  }

  /**
   * {@code PublicKeyCredentialRequestOptionsJSON} (§5.5): no {@code allowCredentials}, so the
   * authenticator offers the user's discoverable credentials; user verification required.
   */
  static ObjectNode request(PasskeyAssertions.RequestOptions options) {
    ObjectNode json = Json.object();
    json.put("challenge", URL.encodeToString(options.challenge()));
    json.put("rpId", options.rpId());
    json.put("timeout", options.timeout().toMillis());
    json.putArray("allowCredentials");
    json.put("userVerification", "required");
    return json;
  }
}
