package io.gatehouse.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Gatehouse's own tokens and the keys that sign them, {@code tokens}.
 *
 * @param accessTtl lifetime of access tokens; signing keys stay published this long (plus a margin)
 *     after they stop signing, so rotation never breaks a live token
 * @param refreshTtl lifetime of refresh tokens
 * @param algorithm the JWS algorithm of new signing keys
 * @param rotateEvery how long a signing key signs before the next one, published a whole period
 *     ahead, takes over
 * @param audience the {@code aud} of an access token whose client named no resource (RFC 8707), and
 *     what an own token must carry on a route that names no {@code audience}; null for the issuer
 *     (see {@link Config#defaultAudience()})
 */
public record TokensConfig(Duration accessTtl, Duration refreshTtl, String algorithm, Duration rotateEvery,
    String audience) {

  /** Algorithms Gatehouse can sign with. */
  public static final List<String> ALGORITHMS = List.of("ES256", "RS256", "EdDSA");

  /** The id token algorithm every OpenID provider supports (OpenID Connect Core §15.1). */
  public static final String RS256 = "RS256";

  static TokensConfig read(Section root) {
    Section s = root.section("tokens", Set.of("access_ttl", "refresh_ttl", "algorithm", "rotate_every",
        "audience"));
    String algorithm = s.string("algorithm", "ES256");
    if (!ALGORITHMS.contains(algorithm)) {
      s.problem("algorithm", "'" + algorithm + "' (expected: one of " + String.join(", ", ALGORITHMS) + ")");
      algorithm = "ES256";
    }
    Duration access = s.duration("access_ttl", Duration.ofMinutes(10));
    Duration rotate = s.duration("rotate_every", Duration.ofDays(30));
    if (rotate.compareTo(access) < 0) {
      s.problem("rotate_every", "must not be shorter than access_ttl");
    }
    String audience = s.string("audience", null);
    if (audience != null && (audience.isEmpty() || !audience.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
      s.problem("audience", "must be a URI or name without spaces");
      audience = null;
    }
    return new TokensConfig(access, s.duration("refresh_ttl", Duration.ofDays(30)), algorithm, rotate, audience);
  }

  /**
   * The algorithms Gatehouse keeps signing keys for: {@code algorithm} first (access tokens), then
   * RS256 when it is another, since OpenID Connect Core §15.1 requires every provider to sign id
   * tokens with RS256 and Dynamic Client Registration §2 makes it a client's default.
   */
  public List<String> signingAlgorithms() {
    return RS256.equals(algorithm) ? List.of(RS256) : List.of(algorithm, RS256);
  }
}
