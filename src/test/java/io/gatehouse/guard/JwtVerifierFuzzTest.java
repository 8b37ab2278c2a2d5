package io.gatehouse.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.support.FuzzKeys;
import io.gatehouse.support.MutableClock;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz tests of JWT verification ({@link JwtVerifier}) with a real key set: arbitrary compact
 * strings, and arbitrary JOSE headers and claims that carry a valid signature of the trusted key
 * (so the fuzzer reaches every check after the signature). Each input goes to two verifiers: one
 * for Gatehouse's own tokens ({@code typ: at+jwt} required) and one for an external issuer.
 *
 * <p>Property: the answer is at once either a refusal with one of the fixed reasons
 * ({@link CredentialRejected}) or an admission that an independent check confirms: an ES256
 * signature of the trusted key, the issuer, the audience, a subject, an expiry ahead of the clock
 * (within the skew) and, for own tokens, the access-token type (in any case: a media type). Never
 * another exception.
 */
@Timeout(10)
class JwtVerifierFuzzTest {

  private static final String ISSUER = "https://issuer.test";
  private static final Set<String> REASONS = Set.of("malformed", "algorithm", "no_kid", "unknown_kid", "signature",
      "type", "claims", "expired", "not_yet_valid", "audience", "issuer", "issued_in_future", "revoked");
  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
  private static final JWKSet KEYS = new JWKSet(FuzzKeys.ISSUER.toPublicJWK());
  private static final IssuerKeys ISSUER_KEYS = new IssuerKeys() {
    @Override
    public JWKSet current() {
      return KEYS;
    }

    @Override
    public Future<JWKSet> refetch() {
      return Future.succeededFuture(KEYS);
    }
  };
  private static final JwtVerifier OWN = new JwtVerifier(ISSUER, List.of("api"), List.of("ES256", "RS256", "EdDSA"),
      true, "roles", ISSUER_KEYS, (issuer, token) -> false, CLOCK);
  private static final JwtVerifier EXTERNAL = new JwtVerifier(ISSUER, List.of("api"), List.of("ES256", "PS256"),
      false, "realm_access.roles", ISSUER_KEYS, (issuer, token) -> "revoked-jti".equals(token.jti()), CLOCK);

  @FuzzTest
  void compactStrings(byte[] input) {
    String token = new String(input, StandardCharsets.ISO_8859_1);
    check(OWN, token, true);
    check(EXTERNAL, token, false);
  }

  /** The input is a JOSE header and a claims set, split at the first newline, signed by the trusted key. */
  @FuzzTest
  void signedHeaderAndClaims(byte[] input) throws Exception {
    int newline = indexOf(input, (byte) '\n');
    byte[] header = newline < 0 ? input : Arrays.copyOfRange(input, 0, newline);
    byte[] claims = newline < 0 ? new byte[0] : Arrays.copyOfRange(input, newline + 1, input.length);
    String signingInput = Base64URL.encode(header) + "." + Base64URL.encode(claims);
    Base64URL signature = new ECDSASigner(FuzzKeys.ISSUER).sign(
        new com.nimbusds.jose.JWSHeader(JWSAlgorithm.ES256), signingInput.getBytes(StandardCharsets.US_ASCII));
    String token = signingInput + "." + signature;
    check(OWN, token, true);
    check(EXTERNAL, token, false);
  }

  private static void check(JwtVerifier verifier, String token, boolean own) {
    Future<VerifiedToken> result = verifier.check(token);
    assertThat(result.isComplete()).as("answered at once").isTrue();
    if (result.failed()) {
      assertThat(result.cause()).isInstanceOf(CredentialRejected.class);
      assertThat(((CredentialRejected) result.cause()).reason()).isIn(REASONS);
      return;
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
      assertThat(jwt.getHeader().getKeyID()).isEqualTo(FuzzKeys.ISSUER.getKeyID());
      assertThat(jwt.getState()).isEqualTo(JWSObject.State.SIGNED);
      assertThat(jwt.verify(new ECDSAVerifier(FuzzKeys.ISSUER.toECPublicKey()))).as("signed by the trusted key").isTrue();
      if (own) {
        assertThat(jwt.getHeader().getType()).isNotNull();
        // Media types compare case-insensitively (RFC 2045 §5.1, which RFC 7515 §4.1.9 builds on).
        assertThat(jwt.getHeader().getType().getType().toLowerCase(java.util.Locale.ROOT))
            .isIn("at+jwt", "application/at+jwt");
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      assertThat(claims.getIssuer()).isEqualTo(ISSUER);
      assertThat(claims.getAudience()).contains("api");
      assertThat(claims.getSubject()).isNotBlank();
      assertThat(claims.getExpirationTime().toInstant()).isAfter(CLOCK.instant().minusSeconds(JwtVerifier.MAX_CLOCK_SKEW_SECONDS));
      assertThat(result.result().principal().subject()).isEqualTo(claims.getSubject());
    } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
      throw new AssertionError("admitted a token that does not parse or verify: " + token, e);
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
