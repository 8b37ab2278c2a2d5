package io.gatehouse.guard;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.gatehouse.guard.VerifiedTokens.Entry;
import io.gatehouse.guard.VerifiedTokens.TokenHash;
import io.gatehouse.http.Principal;
import io.vertx.core.Future;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies one issuer's signed JWT access tokens after RFC 8725: only the issuer's configured
 * algorithms (asymmetric, so never {@code none} and never an HMAC keyed with a public key), a key
 * from that issuer's JWK set chosen by the token's {@code kid}, {@code iss} exact, {@code aud}
 * naming an accepted audience, {@code exp} required, {@code exp}/{@code nbf}/{@code iat} within
 * {@value #MAX_CLOCK_SKEW_SECONDS} s of skew, and the JOSE {@code typ} (RFC 9068 {@code at+jwt}
 * for Gatehouse's own tokens). Parsing and signature checks are Nimbus JOSE+JWT's.
 *
 * <p>A token that passed is remembered by its hash in {@link VerifiedTokens} until it expires (at
 * most {@value #CACHE_MILLIS} ms), so a client reusing its token costs no signature check; every
 * answer, cached or not, is checked against {@link RevokedTokens} (its {@code jti}, its {@code sid}, and
 * its subject's cut-off). Signature checks run on the
 * calling thread (CPU only, like a TLS handshake); only an unknown {@code kid} waits for the
 * issuer's keys. Thread-safe.
 */
public final class JwtVerifier {

  /** The clock skew accepted on {@code exp}, {@code nbf} and {@code iat}. */
  public static final int MAX_CLOCK_SKEW_SECONDS = 60;
  static final long CACHE_MILLIS = 5 * 60 * 1000L;
  static final int MAX_TOKEN_CHARS = 16 * 1024;
  private static final int CACHE_ENTRIES = 10_000;

  /** RFC 9068 §2.1; the {@code application/} form is allowed by RFC 7515 §4.1.9. */
  private static final List<JOSEObjectType> ACCESS_TOKEN_TYPES =
      List.of(new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"));
  /** External issuers: no {@code typ}, {@code JWT}, or RFC 9068's. */
  private static final List<JOSEObjectType> ANY_JWT_TYPES = List.of(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"),
      new JOSEObjectType("application/at+jwt"));

  private final String issuer;
  private final IssuerKeys keys;
  private final Set<JWSAlgorithm> algorithms;
  private final String[] rolesPath;
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final VerifiedTokens verified;
  private final RevokedTokens revoked;
  private final Clock clock;
  /**
   * Whether the token's {@code acr} is read as a {@link io.gatehouse.config.AuthLevel}: only for
   * Gatehouse's own tokens, since another issuer's {@code acr} values mean what that issuer says
   * (its "mfa" need not be ours), and a route's {@code auth_level} must not rest on a name match.
   */
  private final boolean readsAcr;

  /**
   * @param issuer the exact {@code iss}
   * @param audience accepted {@code aud} values; empty accepts any (a route's {@code audience} may then narrow it)
   * @param algorithms accepted JWS algorithm names, asymmetric only
   * @param accessTokenType require RFC 9068's {@code typ: at+jwt} (Gatehouse's own tokens, whose
   *     {@code acr} is then also read; another issuer's is not)
   * @param rolesClaim the claim with the caller's roles, a name or a dotted path
   */
  public JwtVerifier(String issuer, List<String> audience, List<String> algorithms, boolean accessTokenType,
      String rolesClaim, IssuerKeys keys, RevokedTokens revoked, Clock clock) {
    this(issuer, audience, algorithms, accessTokenType, rolesClaim, keys, revoked, clock, CACHE_ENTRIES);
  }

  /** @param cacheEntries how many verified tokens to remember; 0 checks every signature (for benchmarks) */
  JwtVerifier(String issuer, List<String> audience, List<String> algorithms, boolean accessTokenType,
      String rolesClaim, IssuerKeys keys, RevokedTokens revoked, Clock clock, int cacheEntries) {
    this.verified = new VerifiedTokens(cacheEntries);
    this.readsAcr = accessTokenType;
    this.issuer = issuer;
    this.keys = keys;
    this.revoked = revoked;
    this.clock = clock;
    this.rolesPath = rolesClaim.split("\\.");
    this.algorithms = algorithms.stream().map(JWSAlgorithm::parse).collect(Collectors.toUnmodifiableSet());
    if (this.algorithms.stream().anyMatch(a -> !JWSAlgorithm.Family.SIGNATURE.contains(a))) {
      throw new IllegalArgumentException("only public-key signature algorithms verify tokens");
    }
    // A HashSet, not Set.of: Nimbus asks contains(null) for a token without typ, which Set.of answers with an NPE.
    Set<JOSEObjectType> types = new HashSet<>(accessTokenType ? ACCESS_TOKEN_TYPES : ANY_JWT_TYPES);
    if (!accessTokenType) {
      types.add(null);
    }
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(types));
    processor.setJWSVerifierFactory(SignatureKeys.verifiers());
    processor.setJWSKeySelector(SignatureKeys.selector(this.algorithms, keys::current));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
        audience.isEmpty() ? null : Set.copyOf(audience),
        new JWTClaimsSet.Builder().issuer(issuer).build(),
        Set.of("sub", "exp", "aud"), Set.of()) {
      @Override
      protected Date currentTime() {
        return Date.from(clock.instant());
      }
    };
    claims.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
    processor.setJWTClaimsSetVerifier(claims);
  }

  /** The issuer whose tokens this verifies ({@code iss}). */
  public String issuer() {
    return issuer;
  }

  /** The caller the token proves, or a failure with {@link CredentialRejected}. */
  public Future<Principal> verify(String token) {
    return check(token).map(VerifiedToken::principal);
  }

  /** The verified token (for introspection), or a failure with {@link CredentialRejected}. */
  public Future<VerifiedToken> check(String token) {
    if (token.length() > MAX_TOKEN_CHARS) {
      return rejected("malformed");
    }
    long now = clock.millis();
    TokenHash hash = TokenHash.of(token);
    Entry hit = verified.get(hash, now);
    if (hit != null) {
      if (revoked.isRevoked(issuer, hit.token())) {
        verified.remove(hash);
        return rejected("revoked");
      }
      return Future.succeededFuture(hit.token());
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      return rejected("malformed");
    }
    JWSHeader header = jwt.getHeader();
    if (!algorithms.contains(header.getAlgorithm())) {
      return rejected("algorithm");
    }
    String kid = header.getKeyID();
    if (kid == null) {
      return rejected("no_kid");
    }
    if (!VerificationKeys.has(keys.current(), kid)) {
      // Unknown kid: perhaps the issuer rotated its keys. The key source bounds how often this fetches.
      return keys.refetch().compose(fresh -> VerificationKeys.has(fresh, kid)
          ? finish(jwt, hash) : rejected("unknown_kid"));
    }
    return finish(jwt, hash);
  }

  private Future<VerifiedToken> finish(SignedJWT jwt, TokenHash hash) {
    JWTClaimsSet claims;
    try {
      claims = processor.process(jwt, null);
    } catch (BadJWTException e) {
      return rejected(claimsReason(e));
    } catch (BadJOSEException e) {
      return rejected(e.getMessage() != null && e.getMessage().contains("typ") ? "type" : "signature");
    } catch (JOSEException e) {
      return rejected("signature");
    }
    long now = clock.millis();
    Date issuedAt = claims.getIssueTime();
    if (issuedAt != null && issuedAt.getTime() > now + MAX_CLOCK_SKEW_SECONDS * 1000L) {
      return rejected("issued_in_future");
    }
    Principal principal;
    try {
      principal = Principal.ofToken(headerSafe(claims.getSubject()), tokens(claimAt(claims, rolesPath)),
          scopes(claims), clientOf(claims), claims.getAudience(),
          readsAcr && claims.getClaim("acr") instanceof String acr ? acr : null);
    } catch (IllegalArgumentException e) {
      return rejected("claims");
    }
    Object sid = claims.getClaim("sid");
    VerifiedToken verifiedToken = new VerifiedToken(principal, claims.getJWTID(),
        claims.getExpirationTime().toInstant(), issuedAt == null ? null : issuedAt.toInstant(),
        sid instanceof String text ? text : null);
    if (revoked.isRevoked(issuer, verifiedToken)) {
      return rejected("revoked");
    }
    long expires = Math.min(claims.getExpirationTime().getTime(), now + CACHE_MILLIS);
    if (expires > now) {
      verified.put(hash, new Entry(verifiedToken, expires), now);
    }
    return Future.succeededFuture(verifiedToken);
  }

  /** Fixed words for the audit log: Nimbus's messages can quote claim values, which the caller chose. */
  private static String claimsReason(BadJWTException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (message.contains("missing")) {
      return "claims";
    }
    if (message.startsWith("Expired")) {
      return "expired";
    }
    if (message.contains("before use time")) {
      return "not_yet_valid";
    }
    if (message.contains("aud claim")) {
      return "audience";
    }
    if (message.contains("iss claim")) {
      return "issuer";
    }
    return "claims";
  }

  private static Object claimAt(JWTClaimsSet claims, String[] path) {
    Object value = claims.getClaim(path[0]);
    for (int i = 1; i < path.length && value != null; i++) {
      value = value instanceof Map<?, ?> map ? map.get(path[i]) : null;
    }
    return value;
  }

  /** RFC 8693 / RFC 9068 {@code scope}: space-separated; also Azure's and Okta's {@code scp} list. */
  private static List<String> scopes(JWTClaimsSet claims) {
    Object scope = claims.getClaim("scope");
    return tokens(scope != null ? scope : claims.getClaim("scp"));
  }

  private static String clientOf(JWTClaimsSet claims) throws IllegalArgumentException {
    Object client = claims.getClaim("client_id");
    if (client == null) {
      client = claims.getClaim("azp");
    }
    return client instanceof String text ? headerSafe(text) : null;
  }

  /** A list of names from a string (space-separated) or an array of strings; each must be a header-safe token. */
  private static List<String> tokens(Object value) {
    if (value == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (value instanceof String text) {
      for (String part : text.split(" ")) {
        if (!part.isEmpty()) {
          out.add(token(part));
        }
      }
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        if (!(item instanceof String text)) {
          throw new IllegalArgumentException("not a string");
        }
        out.add(token(text));
      }
    } else {
      throw new IllegalArgumentException("not a string or list");
    }
    return out;
  }

  /** Printable ASCII without space: these names go into upstream headers, space-separated. */
  private static String token(String text) {
    if (text.isEmpty() || text.length() > 256 || !text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("not a name");
    }
    return text;
  }

  /** Printable ASCII: a subject or client id goes into an upstream header as is. */
  private static String headerSafe(String text) {
    if (text == null || text.isEmpty() || text.length() > 1024 || !text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("not header-safe");
    }
    return text;
  }

  private static <T> Future<T> rejected(String reason) {
    return Future.failedFuture(new CredentialRejected(reason));
  }
}
