package io.gatehouse.guard;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of a published JWK set that may verify a signature: public keys (private parts
 * dropped), meant for signing ({@code use} absent or {@code sig}), with a {@code kid}. A
 * {@code kid} that appears twice is ambiguous, so neither key is used: a token is never verified
 * against a key chosen by list order.
 */
public final class VerificationKeys {

  private VerificationKeys() {
  }

  public static JWKSet from(JWKSet published) {
    Map<String, Integer> seen = new HashMap<>();
    for (JWK key : published.getKeys()) {
      if (key.getKeyID() != null) {
        seen.merge(key.getKeyID(), 1, Integer::sum);
      }
    }
    List<JWK> usable = new ArrayList<>();
    for (JWK key : published.getKeys()) {
      String kid = key.getKeyID();
      if (kid == null || seen.get(kid) > 1 || (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse()))) {
        continue;
      }
      JWK publicKey = key.toPublicJWK();
      if (publicKey != null) {
        usable.add(publicKey);
      }
    }
    return new JWKSet(usable);
  }

  /** Whether {@code keys} holds a key with this id. */
  public static boolean has(JWKSet keys, String kid) {
    return keys.getKeyByKeyId(kid) != null;
  }
}
