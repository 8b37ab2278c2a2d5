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
 * {@code aud}, {@code exp}, {@code iat}, {@code jti}, {@code client_id}, {@code scope}; {@code roles}
 * for a first-party client only; {@code sid} when issued with a session; {@code amr}, {@code acr} and
 * {@code auth_time} when the grant records the sign-in: an authorization code's, a login's, and a
 * refresh family's, which keeps its first grant's), signed with the current
 * signing key by {@link JwtSigner}. The {@code iat} of a subject cut off a moment ago is that
 * cut-off's second ({@link TokenRevocations#issuedAt}). Thread-safe.
 */
public final class AccessTokens {

  static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");

  /**
   * What a token grants: the authority of its holder, no more.
   *
   * @param subject the user, or the client itself for {@code client_credentials}
   * @param audiences the resources the token is for; never empty (RFC 9068 §2.2)
   * @param roles the user's roles, for a first-party client only; empty otherwise
   * @param sid the session the grant came from (the SHA-256 of its token), or null
   * @param signIn how and when the user signed in, for {@code amr}, {@code acr} and {@code auth_time}
   *     (RFC 9068 §2.2.1), or null when the grant does not record it
   */
  public record Grant(String subject, String clientId, List<String> audiences, List<String> scopes,
      List<String> roles, String sid, AuthorizationCode.SignIn signIn) {

    public Grant(String subject, String clientId, List<String> audiences, List<String> scopes, List<String> roles,
        String sid) {
      this(subject, clientId, audiences, scopes, roles, sid, null);
    }

    public Grant {
      if (audiences.isEmpty()) {
        throw new IllegalArgumentException("a token names its audience");
      }
      audiences = List.copyOf(audiences);
      scopes = List.copyOf(scopes);
      roles = List.copyOf(roles);
    }
  }

  /** A minted token and what it grants. */
  public record Minted(String token, String jti, Instant expiresAt, Duration lifetime, List<String> scopes) {
  }

  private final String issuer;
  private final Supplier<JWK> signingKey;
  private final Duration lifetime;
  private final TokenRevocations revocations;
  private final Clock clock;

  public AccessTokens(String issuer, Supplier<JWK> signingKey, Duration lifetime, TokenRevocations revocations,
      Clock clock) {
    this.issuer = issuer;
    this.signingKey = signingKey;
    this.lifetime = lifetime;
    this.revocations = revocations;
    this.clock = clock;
  }

  /** How long an access token lives. */
  public Duration lifetime() {
    return lifetime;
  }

  public Minted mint(Grant grant) {
    return mint(grant, UUID.randomUUID().toString());
  }

  /** @param jti the token's id, named before it is minted (an authorization code's exchange records it first) */
  public Minted mint(Grant grant, String jti) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(grant.subject())
        .audience(grant.audiences())
        .issueTime(Date.from(revocations.issuedAt(grant.subject(), now)))
        .expirationTime(Date.from(now.plus(lifetime)))
        .jwtID(jti)
        .claim("client_id", grant.clientId());
    if (!grant.scopes().isEmpty()) {
      claims.claim("scope", String.join(" ", grant.scopes()));
    }
    if (!grant.roles().isEmpty()) {
      claims.claim("roles", grant.roles());
    }
    if (grant.sid() != null) {
      claims.claim("sid", grant.sid());
    }
    if (grant.signIn() != null && !grant.signIn().amr().isEmpty()) {
      claims.claim("amr", grant.signIn().amr()).claim("acr", grant.signIn().acr());
      if (grant.signIn().authTime() != null) {
        claims.claim("auth_time", grant.signIn().authTime().getEpochSecond());
      }
    }
    return new Minted(JwtSigner.sign(signingKey.get(), TYPE, claims.build()), jti, now.plus(lifetime), lifetime,
        grant.scopes());
  }
}
