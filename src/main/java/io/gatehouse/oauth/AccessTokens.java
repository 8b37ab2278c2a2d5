package io.gatehouse.oauth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import io.gatehouse.keys.JwtSigner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Mints Gatehouse's access tokens: JWTs per RFC 9068 ({@code typ: at+jwt}; {@code iss}, {@code sub},
 * {@code aud}, {@code exp}, {@code iat}, {@code jti}, {@code client_id}, {@code scope}, and
 * {@code roles}), signed with the current signing key by {@link JwtSigner}. Thread-safe.
 */
public final class AccessTokens {

  static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");

  /** A minted token and what it grants. */
  public record Minted(String token, String jti, Instant expiresAt, Duration lifetime, List<String> scopes) {
  }

  private final String issuer;
  private final Supplier<JWK> signingKey;
  private final Duration lifetime;
  private final Clock clock;

  public AccessTokens(String issuer, Supplier<JWK> signingKey, Duration lifetime, Clock clock) {
    this.issuer = issuer;
    this.signingKey = signingKey;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /**
   * @param subject the user, or the client itself for {@code client_credentials}
   * @param audiences the resources the token is for; never empty (RFC 9068 §2.2)
   */
  public Minted mint(String subject, String clientId, List<String> audiences, List<String> scopes, List<String> roles) {
    Instant now = clock.instant();
    String jti = UUID.randomUUID().toString();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(subject)
        .audience(audiences)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(lifetime)))
        .jwtID(jti)
        .claim("client_id", clientId);
    if (!scopes.isEmpty()) {
      claims.claim("scope", String.join(" ", scopes));
    }
    if (!roles.isEmpty()) {
      claims.claim("roles", roles);
    }
    return new Minted(JwtSigner.sign(signingKey.get(), TYPE, claims.build()), jti, now.plus(lifetime), lifetime, scopes);
  }
}
