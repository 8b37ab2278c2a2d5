package io.gatehouse.identity.passkey;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A registered passkey: a WebAuthn credential record (WebAuthn Level 3 §4, "credential record") of
 * one user, with the name the user gave it.
 *
 * @param credentialId the credential id, base64url without padding
 * @param publicKey the credential public key as the COSE_Key the authenticator sent (§6.5.1.1)
 * @param aaguid the authenticator model's AAGUID (all zero for most passkey providers under attestation "none")
 * @param signCount the signature counter last seen (§6.1.1); 0 when the authenticator keeps none
 * @param uvInitialized whether user verification was performed when it was made (always, here: required)
 * @param backupEligible the BE flag at registration, which may never change (§6.1.3)
 * @param backupState the BS flag last seen
 * @param transports what the client said the authenticator is reachable by ({@code internal}, {@code hybrid}, …)
 * @param lastUsedAt the last sign-in with it, or null
 */
public record Passkey(String credentialId, String userId, String name, byte[] publicKey, String aaguid, long signCount,
    boolean uvInitialized, boolean backupEligible, boolean backupState, List<String> transports, Instant createdAt,
    Instant lastUsedAt) {

  public Passkey {
    publicKey = publicKey.clone();
    transports = List.copyOf(transports);
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /**
   * What a credential id can look like where one is named (a path, a form): base64url of at most
   * 1023 bytes (WebAuthn Level 3 §5.8.3), 1364 characters. Nothing else can name a passkey.
   */
  public static final Pattern CREDENTIAL_ID = Pattern.compile("[A-Za-z0-9_-]{1,1364}");

  /**
   * Enough of a credential id to tell passkeys apart in the audit log, however it is changed (the
   * account pages, the admin API, the CLI): its first 16 characters.
   */
  public static String shortId(String credentialId) {
    return credentialId.length() <= 16 ? credentialId : credentialId.substring(0, 16);
  }
}
