package io.gatehouse.guard;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import io.gatehouse.http.Principal;
import io.gatehouse.keys.JwtSigner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code identity_token: true}: the admitted caller as a short-lived JWT signed by Gatehouse, sent
 * upstream in {@code X-Gatehouse-Identity} for services that verify rather than trust headers
 * (with the keys at {@code /oauth2/jwks}). Claims: {@code iss} (Gatehouse), {@code aud}
 * ({@code route:<id>}), {@code sub}, {@code roles}, {@code scope}, {@code client_id}, {@code auth}
 * (the credential kind), {@code iat}, {@code exp} ({@value #LIFETIME_SECONDS} s later), {@code jti};
 * JOSE {@code typ: gatehouse-identity+jwt}, so it can never pass for an access token (RFC 8725
 * §3.11). A token is reused for the same caller and route for half its lifetime, so a busy caller
 * costs one signature per {@value #REUSE_SECONDS} s. Thread-safe.
 */
public final class IdentityTokens {

  static final long LIFETIME_SECONDS = 60;
  static final long REUSE_SECONDS = LIFETIME_SECONDS / 2;
  static final JOSEObjectType TYPE = new JOSEObjectType("gatehouse-identity+jwt");
  private static final int MAX_ENTRIES = 10_000;

  private record Issued(String token, Instant reuseUntil) {
  }

  private final String issuer;
  private final Supplier<JWK> signingKey;
  private final Clock clock;
  private final Map<String, Issued> recent = new ConcurrentHashMap<>();

  /** @param signingKey the key that signs now (with its private part) */
  public IdentityTokens(String issuer, Supplier<JWK> signingKey, Clock clock) {
    this.issuer = issuer;
    this.signingKey = signingKey;
    this.clock = clock;
  }

  /** The identity token for {@code principal} on route {@code routeId}. */
  public String issue(Principal principal, String routeId) {
    Instant now = clock.instant();
    String cacheKey = routeId + '\n' + principal.kind() + '\n' + principal.subject() + '\n' + principal.roles() + '\n'
        + principal.scopes() + '\n' + principal.client();
    Issued cached = recent.get(cacheKey);
    if (cached != null && now.isBefore(cached.reuseUntil())) {
      return cached.token();
    }
    String token = sign(principal, routeId, now);
    if (recent.size() >= MAX_ENTRIES) {
      recent.clear(); // a flood of distinct callers: start over rather than grow
    }
    recent.put(cacheKey, new Issued(token, now.plusSeconds(REUSE_SECONDS)));
    return token;
  }

  private String sign(Principal principal, String routeId, Instant now) {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience("route:" + routeId)
        .subject(principal.subject())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofSeconds(LIFETIME_SECONDS))))
        .jwtID(UUID.randomUUID().toString())
        .claim("roles", principal.roles())
        .claim("auth", principal.kind().configName());
    if (!principal.scopes().isEmpty()) {
      claims.claim("scope", String.join(" ", principal.scopes()));
    }
    if (principal.client() != null) {
      claims.claim("client_id", principal.client());
    }
    return JwtSigner.sign(signingKey.get(), TYPE, claims.build());
  }
}
