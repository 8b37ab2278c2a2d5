package io.gatehouse.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.config.AuthKind;
import io.gatehouse.http.Principal;
import io.gatehouse.support.MutableClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link JwtVerifier} against RFC 8725's list: each forged, stale or misdirected token is refused with its reason. */
class JwtVerifierTest {

  static final String ISSUER = "https://issuer.test";
  static ECKey ec;
  static ECKey ecOther;
  static RSAKey rsa;

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
  final TestKeys keys = new TestKeys();
  final Set<String> revoked = new HashSet<>();

  @BeforeAll
  static void generateKeys() throws Exception {
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").keyUse(KeyUse.SIGNATURE).generate();
    ecOther = new ECKeyGenerator(Curve.P_256).keyID("ec-2").generate();
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
  }

  /** Keys as an issuer publishes them; refetch() serves {@link #published} and counts. */
  static final class TestKeys implements IssuerKeys {
    JWKSet current = new JWKSet();
    JWKSet published = new JWKSet();
    int fetches;

    @Override
    public JWKSet current() {
      return current;
    }

    @Override
    public Future<JWKSet> refetch() {
      fetches++;
      current = VerificationKeys.from(published);
      return Future.succeededFuture(current);
    }

    void publish(JWK... jwks) {
      published = new JWKSet(List.of(jwks));
      current = VerificationKeys.from(published);
    }
  }

  JwtVerifier verifier(boolean own) {
    return new JwtVerifier(ISSUER, List.of("api"), List.of("ES256", "RS256"), own, "realm_access.roles", keys,
        (issuer, token) -> revoked.contains(token.jti()), clock);
  }

  JWTClaimsSet.Builder claims() {
    Instant now = clock.instant();
    return new JWTClaimsSet.Builder().issuer(ISSUER).audience("api").subject("user-42").jwtID("jti-1")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
        .claim("scope", "books:read books:write").claim("client_id", "app-1")
        .claim("realm_access", Map.of("roles", List.of("editor")));
  }

  static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JOSEObjectType typ, JWTClaimsSet claims)
      throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).type(typ).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  String token(Consumer<JWTClaimsSet.Builder> change) throws Exception {
    JWTClaimsSet.Builder builder = claims();
    change.accept(builder);
    return sign(new ECDSASigner(ec), JWSAlgorithm.ES256, "ec-1", JOSEObjectType.JWT, builder.build());
  }

  static String reason(Future<Principal> result) {
    assertThat(result.failed()).as("refused").isTrue();
    assertThat(result.cause()).isInstanceOf(CredentialRejected.class);
    return ((CredentialRejected) result.cause()).reason();
  }

  @Test
  void admitsAValidTokenWithItsIdentity() throws Exception {
    keys.publish(ec, rsa);
    Principal principal = verifier(false).verify(token(c -> { })).result();
    assertThat(principal.subject()).isEqualTo("user-42");
    assertThat(principal.roles()).containsExactly("editor");
    assertThat(principal.scopes()).containsExactly("books:read", "books:write");
    assertThat(principal.client()).isEqualTo("app-1");
    assertThat(principal.audience()).containsExactly("api");
    assertThat(principal.kind()).isEqualTo(AuthKind.JWT);

    String rs256 = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", null,
        claims().claim("scope", null).claim("scp", List.of("a", "b")).build());
    assertThat(verifier(false).verify(rs256).result().scopes()).containsExactly("a", "b");
  }

  @Test
  void admitsAnEd25519TokenWhenTheIssuerUsesEdDsa() throws Exception {
    com.nimbusds.jose.jwk.OctetKeyPair ed = new com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator(Curve.Ed25519)
        .keyID("ed-1").generate();
    keys.publish(ed);
    JwtVerifier verifier = new JwtVerifier(ISSUER, List.of("api"), List.of("EdDSA"), false, "roles", keys,
        (issuer, jti) -> false, clock);
    String token = sign(new com.nimbusds.jose.crypto.Ed25519Signer(ed), JWSAlgorithm.EdDSA, "ed-1", null,
        claims().build());
    assertThat(verifier.verify(token).result().subject()).isEqualTo("user-42");
    com.nimbusds.jose.jwk.OctetKeyPair other = new com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator(Curve.Ed25519)
        .keyID("ed-1").generate();
    String forged = sign(new com.nimbusds.jose.crypto.Ed25519Signer(other), JWSAlgorithm.EdDSA, "ed-1", null,
        claims().build());
    assertThat(reason(verifier.verify(forged))).isEqualTo("signature");
  }

  @Test
  void refusesForgedAndMalformedTokens() throws Exception {
    keys.publish(ec, rsa);
    JwtVerifier verifier = verifier(false);
    String good = token(c -> { });
    assertThat(reason(verifier.verify("not.a.jwt"))).isEqualTo("malformed");
    assertThat(reason(verifier.verify("x".repeat(20_000)))).isEqualTo("malformed");
    // signature of another key under this kid
    String parts = sign(new ECDSASigner(ecOther), JWSAlgorithm.ES256, "ec-1", null, claims().build());
    assertThat(reason(verifier.verify(parts))).isEqualTo("signature");
    // a valid signature over other claims
    String[] a = good.split("\\.");
    String[] b = token(c -> c.subject("admin")).split("\\.");
    assertThat(reason(verifier.verify(a[0] + "." + b[1] + "." + a[2]))).isEqualTo("signature");
    // alg: none
    String none = new PlainJWT(claims().build()).serialize();
    assertThat(reason(verifier.verify(none))).isEqualTo("malformed");
    // HS256 keyed with the issuer's public key (the algorithm-confusion attack)
    byte[] publicBytes = rsa.toRSAPublicKey().getEncoded();
    String confused = sign(new MACSigner(publicBytes), JWSAlgorithm.HS256, "rsa-1", null, claims().build());
    assertThat(reason(verifier.verify(confused))).isEqualTo("algorithm");
    // an algorithm the issuer does not use
    ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("ec-384").generate();
    keys.publish(ec, rsa, p384);
    String es384 = sign(new ECDSASigner(p384), JWSAlgorithm.ES384, "ec-384", null, claims().build());
    assertThat(reason(verifier.verify(es384))).isEqualTo("algorithm");
    // no kid
    String noKid = sign(new ECDSASigner(ec), JWSAlgorithm.ES256, null, null, claims().build());
    assertThat(reason(verifier.verify(noKid))).isEqualTo("no_kid");
    // a kid naming a key of another type (RSA key, ES256 token)
    String mismatched = sign(new ECDSASigner(ec), JWSAlgorithm.ES256, "rsa-1", null, claims().build());
    assertThat(reason(verifier.verify(mismatched))).isEqualTo("signature");
  }

  @Test
  void refusesTokensOutsideTheirTimeIssuerOrAudience() throws Exception {
    keys.publish(ec);
    JwtVerifier verifier = verifier(false);
    Instant now = clock.instant();
    assertThat(reason(verifier.verify(token(c -> c.expirationTime(Date.from(now.minusSeconds(61))))))).isEqualTo("expired");
    assertThat(verifier.verify(token(c -> c.expirationTime(Date.from(now.minusSeconds(30))))).succeeded())
        .as("within the 60 s skew").isTrue();
    assertThat(reason(verifier.verify(token(c -> c.expirationTime(null))))).isEqualTo("claims");
    assertThat(reason(verifier.verify(token(c -> c.notBeforeTime(Date.from(now.plusSeconds(120))))))).isEqualTo("not_yet_valid");
    assertThat(reason(verifier.verify(token(c -> c.issueTime(Date.from(now.plusSeconds(120))))))).isEqualTo("issued_in_future");
    assertThat(reason(verifier.verify(token(c -> c.issuer("https://evil.test"))))).isEqualTo("issuer");
    assertThat(reason(verifier.verify(token(c -> c.audience("other"))))).isEqualTo("audience");
    assertThat(reason(verifier.verify(token(c -> c.audience((String) null))))).isEqualTo("claims");
    assertThat(reason(verifier.verify(token(c -> c.subject(null))))).isEqualTo("claims");
    assertThat(reason(verifier.verify(token(c -> c.subject("user\r\nX-Gatehouse-Roles: admin"))))).isEqualTo("claims");
    assertThat(reason(verifier.verify(token(c -> c.claim("realm_access", Map.of("roles", List.of("a b")))))))
        .isEqualTo("claims");
  }

  @Test
  void ownTokensMustBeTypedAsAccessTokens() throws Exception {
    keys.publish(ec);
    JWTClaimsSet claims = claims().build();
    String typed = sign(new ECDSASigner(ec), JWSAlgorithm.ES256, "ec-1", new JOSEObjectType("at+jwt"), claims);
    String plain = sign(new ECDSASigner(ec), JWSAlgorithm.ES256, "ec-1", JOSEObjectType.JWT, claims);
    String untyped = sign(new ECDSASigner(ec), JWSAlgorithm.ES256, "ec-1", null, claims);
    assertThat(verifier(true).verify(typed).succeeded()).isTrue();
    assertThat(reason(verifier(true).verify(plain))).isEqualTo("type");
    assertThat(reason(verifier(true).verify(untyped))).isEqualTo("type");
    assertThat(verifier(false).verify(untyped).succeeded()).isTrue();
    String odd = sign(new ECDSASigner(ec), JWSAlgorithm.ES256, "ec-1", new JOSEObjectType("id+jwt"), claims);
    assertThat(reason(verifier(false).verify(odd))).isEqualTo("type");
  }

  @Test
  void onlyOwnTokensHaveTheirAcrReadAsAnAuthLevel() throws Exception {
    keys.publish(ec);
    JWTClaimsSet claims = claims().claim("acr", "mfa").build();
    String own = sign(new ECDSASigner(ec), JWSAlgorithm.ES256, "ec-1", new JOSEObjectType("at+jwt"), claims);
    String external = sign(new ECDSASigner(ec), JWSAlgorithm.ES256, "ec-1", JOSEObjectType.JWT, claims);
    assertThat(verifier(true).verify(own).result().acr()).isEqualTo("mfa");
    // Another issuer's "mfa" is its own word: it does not meet a route's auth_level: mfa.
    assertThat(verifier(false).verify(external).result().acr()).isNull();
  }

  @Test
  void anUnknownKidRefetchesOnceAndARotatedKeyIsThenAccepted() throws Exception {
    keys.publish(ec);
    JwtVerifier verifier = verifier(false);
    String rotated = sign(new ECDSASigner(ecOther), JWSAlgorithm.ES256, "ec-2", null, claims().build());
    assertThat(reason(verifier.verify(rotated))).isEqualTo("unknown_kid");
    assertThat(keys.fetches).isEqualTo(1);
    keys.published = new JWKSet(List.of(ec, ecOther));
    assertThat(verifier.verify(rotated).succeeded()).isTrue();
    assertThat(keys.fetches).isEqualTo(2);
  }

  @Test
  void aJwksWithDuplicateKidsIsNotTrustedForThatKid() throws Exception {
    ECKey twin = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    keys.publish(ec, twin, rsa);
    String token = token(c -> { });
    assertThat(reason(verifier(false).verify(token))).isEqualTo("unknown_kid");
    String rs = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", null, claims().build());
    assertThat(verifier(false).verify(rs).succeeded()).isTrue();
    // a key published for encryption never verifies a signature
    ECKey encryption = new ECKeyGenerator(Curve.P_256).keyID("ec-1").keyUse(KeyUse.ENCRYPTION).generate();
    keys.publish(encryption);
    String signedByIt = sign(new ECDSASigner(encryption), JWSAlgorithm.ES256, "ec-1", null, claims().build());
    assertThat(reason(verifier(false).verify(signedByIt))).isEqualTo("unknown_kid");
  }

  @Test
  void aReusedTokenIsAnsweredFromTheCacheUntilItExpiresOrIsRevoked() throws Exception {
    keys.publish(ec);
    JwtVerifier verifier = verifier(false);
    String token = token(c -> c.expirationTime(Date.from(clock.instant().plusSeconds(120))));
    assertThat(verifier.verify(token).succeeded()).isTrue();
    keys.current = new JWKSet(); // no key now: only the cache can answer
    keys.published = new JWKSet();
    assertThat(verifier.verify(token).succeeded()).as("cached").isTrue();
    assertThat(keys.fetches).isZero();

    clock.advance(Duration.ofSeconds(121));
    assertThat(verifier.verify(token).failed()).as("the entry expired with the token").isTrue();

    keys.publish(ec);
    String another = token(c -> c.jwtID("jti-2"));
    assertThat(verifier.verify(another).succeeded()).isTrue();
    revoked.add("jti-2");
    assertThat(reason(verifier.verify(another))).isEqualTo("revoked");
  }
}
