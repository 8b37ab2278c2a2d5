package io.gatehouse.oauth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import io.gatehouse.identity.User;
import io.gatehouse.keys.JwtSigner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * OpenID Connect id tokens (Core §2): {@code iss}, {@code sub}, {@code aud} (the client),
 * {@code exp}, {@code iat}, {@code auth_time}, {@code nonce} when the client sent one,
 * {@code at_hash} of the access token issued with it (§3.1.3.6), {@code sid}, {@code amr} and
 * {@code acr} (how the user signed in, when recorded), and the claims of the
 * standard scopes granted ({@link #claims}); signed with the current key of the client's
 * {@code id_token_signed_response_alg}. Thread-safe.
 */
public final class IdTokens {

  public static final String OPENID = "openid";
  /** OpenID Connect Core §5.4: the End-User's default profile claims; Gatehouse knows {@code preferred_username}. */
  public static final String PROFILE = "profile";
  /** OpenID Connect Core §5.4: {@code email}, when the user has one. */
  public static final String EMAIL = "email";

  private final String issuer;
  private final Function<JWSAlgorithm, JWK> signingKeys;
  private final Duration lifetime;
  private final Clock clock;

  /** @param signingKeys the private key that signs with an algorithm now, or null when there is none */
  public IdTokens(String issuer, Function<JWSAlgorithm, JWK> signingKeys, Duration lifetime, Clock clock) {
    this.issuer = issuer;
    this.signingKeys = signingKeys;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /**
   * The id token for {@code user} and {@code client}, with the claims of {@code grantedScopes}.
   *
   * @throws IllegalStateException when there is no key for the client's algorithm (it was registered
   *     with a {@code tokens.algorithm} that has since been changed)
   */
  public String mint(User user, OAuthClient client, AuthorizationCode.SignIn signIn, String accessToken,
      Collection<String> grantedScopes) {
    Instant now = clock.instant();
    JWSAlgorithm algorithm = JWSAlgorithm.parse(client.idTokenSignedResponseAlg());
    JWK key = signingKeys.apply(algorithm);
    if (key == null) {
      throw new IllegalStateException("no " + algorithm + " signing key for the id tokens of client "
          + client.clientId() + " (its id_token_signed_response_alg)");
    }
    Curve curve = algorithm == JWSAlgorithm.EdDSA ? Curve.Ed25519 : null; // at_hash for EdDSA is SHA-512 based
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(user.id())
        .audience(client.clientId())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(lifetime)))
        .claim("at_hash", AccessTokenHash.compute(new BearerAccessToken(accessToken), algorithm, curve).getValue());
    claims(user, grantedScopes).forEach(claims::claim);
    if (signIn.authTime() != null) {
      claims.claim("auth_time", signIn.authTime().getEpochSecond());
    }
    if (signIn.nonce() != null) {
      claims.claim("nonce", signIn.nonce());
    }
    if (signIn.sid() != null) {
      claims.claim("sid", signIn.sid());
    }
    if (!signIn.amr().isEmpty()) {
      // OpenID Connect Core §2: how the user authenticated (RFC 8176) and the class it meets.
      claims.claim("amr", signIn.amr()).claim("acr", signIn.acr());
    }
    return JwtSigner.sign(key, JOSEObjectType.JWT, claims.build());
  }

  /**
   * The user's claims that {@code grantedScopes} ask for (OpenID Connect Core §5.4), for id tokens
   * and userinfo alike: {@code profile} → {@code preferred_username}; {@code email} →
   * {@code email} when the user has one. Gatehouse does not verify addresses, so it never sends
   * {@code email_verified}; other profile claims it does not know are left out, as §5.3.2 allows.
   */
  public static Map<String, String> claims(User user, Collection<String> grantedScopes) {
    Map<String, String> claims = new LinkedHashMap<>();
    if (grantedScopes.contains(PROFILE)) {
      claims.put("preferred_username", user.username());
    }
    if (grantedScopes.contains(EMAIL) && user.email() != null) {
      claims.put("email", user.email());
    }
    return claims;
  }
}
