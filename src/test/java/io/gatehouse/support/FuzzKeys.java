package io.gatehouse.support;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;

/**
 * Fixed P-256 keys for the fuzz tests, so that committed seed inputs can carry tokens that verify
 * (a key generated per run would make every committed token a forgery). Test keys only: never
 * configured anywhere but in tests.
 */
public final class FuzzKeys {

  /** The issuer key the fuzzed verifiers trust, {@code kid: fuzz-ec}. */
  public static final ECKey ISSUER = parse("{\"kty\":\"EC\",\"d\":\"b5817zpyFnVNU4kPZSQEk6KOav-0jbE9xJF4vwzoZjo\","
      + "\"use\":\"sig\",\"crv\":\"P-256\",\"kid\":\"fuzz-ec\",\"x\":\"3Y9mKm-nQKS592BHSjRn4yZW4KmRkdj2_ykXzjTpfPM\","
      + "\"y\":\"c27b6Jjh8yuqykQLoF_VwAr2zBfw9XavWucTCF1LnfM\"}");
  /** An OAuth client's key for {@code private_key_jwt}, {@code kid: client-ec}. */
  public static final ECKey CLIENT = parse("{\"kty\":\"EC\",\"d\":\"CsN_CHT_QNRDILqkBLcV-sulH8e9n_TzjsUHq1zCRCU\","
      + "\"crv\":\"P-256\",\"kid\":\"client-ec\",\"x\":\"VeNryoUZ1goEGwEdzWvE2UdQy-hCCnQ0gAE7fXh73N0\","
      + "\"y\":\"CUp4tLFW6mWQ2eoZSfnTHIVkXCM_hk9NgqxLerm2NNw\"}");

  private FuzzKeys() {
  }

  private static ECKey parse(String json) {
    try {
      return ECKey.parse(json);
    } catch (ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code claims} signed ES256 by {@code key}, with its {@code kid} and {@code typ}. */
  public static String sign(ECKey key, JOSEObjectType type, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(type).build(),
          claims);
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
