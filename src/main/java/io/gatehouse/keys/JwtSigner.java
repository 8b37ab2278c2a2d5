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

  /** The compact JWS of {@code claims}, typed {@code type}, with the key's {@code kid}. */
  public static String sign(JWK key, JOSEObjectType type, JWTClaimsSet claims) {
    if (key == null) {
      throw new IllegalStateException("no signing key yet");
    }
    try {
      JWSSigner signer;
      JWSAlgorithm algorithm;
      if (key instanceof ECKey ec) {
        signer = new ECDSASigner(BouncyCastleEc.privateKey(ec), ec.getCurve());
        signer.getJCAContext().setProvider(BouncyCastleEc.PROVIDER);
        algorithm = JWSAlgorithm.ES256;
      } else if (key instanceof OctetKeyPair okp) {
        signer = new Ed25519Signer(okp);
        algorithm = JWSAlgorithm.EdDSA;
      } else {
        signer = new RSASSASigner(key.toRSAKey());
        algorithm = JWSAlgorithm.RS256;
      }
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(type).keyID(key.getKeyID()).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed", e);
    }
  }
}
