package io.gatehouse.oauth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import io.gatehouse.identity.User;
import io.gatehouse.keys.JwtSigner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.Supplier;

/**
 * OpenID Connect id tokens (Core §2): {@code iss}, {@code sub}, {@code aud} (the client),
 * {@code exp}, {@code iat}, {@code auth_time}, {@code nonce} when the client sent one,
 * {@code at_hash} of the access token issued with it (§3.1.3.6), {@code sid}, and the user's
 * {@code preferred_username}; signed with the current signing key. Thread-safe.
 */
public final class IdTokens {

  public static final String OPENID = "openid";

  private final String issuer;
  private final Supplier<JWK> signingKey;
  private final Duration lifetime;
  private final Clock clock;

  public IdTokens(String issuer, Supplier<JWK> signingKey, Duration lifetime, Clock clock) {
    this.issuer = issuer;
    this.signingKey = signingKey;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  public String mint(User user, String clientId, AuthorizationCode.SignIn signIn, String accessToken) {
    Instant now = clock.instant();
    JWK key = signingKey.get();
    JWSAlgorithm algorithm = JwtSigner.algorithmOf(key);
    Curve curve = algorithm == JWSAlgorithm.EdDSA ? Curve.Ed25519 : null; // at_hash for EdDSA is SHA-512 based
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(user.id())
        .audience(clientId)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(lifetime)))
        .claim("at_hash", AccessTokenHash.compute(new BearerAccessToken(accessToken), algorithm, curve).getValue())
        .claim("preferred_username", user.username());
    if (signIn.authTime() != null) {
      claims.claim("auth_time", signIn.authTime().getEpochSecond());
    }
    if (signIn.nonce() != null) {
      claims.claim("nonce", signIn.nonce());
    }
    if (signIn.sid() != null) {
      claims.claim("sid", signIn.sid());
    }
    return JwtSigner.sign(key, JOSEObjectType.JWT, claims.build());
  }
}
