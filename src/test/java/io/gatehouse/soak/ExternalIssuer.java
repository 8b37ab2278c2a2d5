package io.gatehouse.soak;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The identity provider of the soak's {@code jwt:ext} route: ES256 tokens signed with a key
 * Gatehouse reads from a JWK set file, and tokens it must refuse (another key under the same
 * {@code kid}, expired).
 */
final class ExternalIssuer {

  static final String ISSUER = "https://issuer.soak.test";
  static final String AUDIENCE = "soak-api";

  private final ECKey key;
  private final ECKey impostor;

  ExternalIssuer() {
    try {
      key = new ECKeyGenerator(Curve.P_256).keyID("soak-1").generate();
      impostor = new ECKeyGenerator(Curve.P_256).keyID("soak-1").generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the public JWK set Gatehouse's {@code issuers[].jwks_file} names. */
  void writeJwks(Path file) throws IOException {
    Files.writeString(file, new JWKSet(key).toPublicJWKSet().toString());
  }

  String token(String subject) {
    return sign(key, subject, Instant.now().plus(Duration.ofMinutes(5)));
  }

  /** Signed by another key that claims the same {@code kid}. */
  String forged(String subject) {
    return sign(impostor, subject, Instant.now().plus(Duration.ofMinutes(5)));
  }

  String expired(String subject) {
    return sign(key, subject, Instant.now().minus(Duration.ofMinutes(5)));
  }

  private static String sign(ECKey with, String subject, Instant expires) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject)
        .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(expires.minus(Duration.ofMinutes(10))))
        .expirationTime(Date.from(expires)).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(with.getKeyID()).build(), claims);
    try {
      jwt.sign(new ECDSASigner(with));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }
}
