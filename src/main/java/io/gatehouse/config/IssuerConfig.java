package io.gatehouse.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An external token issuer that routes trust with {@code auth: [jwt:<name>]} ({@code issuers[]}).
 * Its keys come from OIDC / RFC 8414 discovery under {@code issuer} (the default), from
 * {@code jwks_uri}, or from a static {@code jwks_file} (Envoy's {@code local_jwks}).
 *
 * @param name what routes call it: {@code jwt:<name>}
 * @param issuer the exact {@code iss} its tokens carry
 * @param audience the {@code aud} values accepted; a token must name at least one
 * @param algorithms the JWS algorithms accepted; asymmetric only (RFC 8725 §3.1)
 * @param jwksUri where its JWK set is fetched, or null (discovery or file)
 * @param jwksFile a file holding its JWK set, or null
 * @param caFile PEM certificates trusted for fetching discovery and keys instead of the system's, or null
 * @param rolesClaim the claim holding the caller's roles: a top-level name or a dotted path ({@code realm_access.roles})
 * @param cacheDuration how long fetched keys are used before they are refreshed (in the background)
 * @param refetchInterval how often a failed fetch is retried in the background; tokens with an unknown
 *     {@code kid} fetch at most every 5 s, or this often if it is shorter
 */
public record IssuerConfig(String name, String issuer, List<String> audience, List<String> algorithms, URI jwksUri,
    Path jwksFile, Path caFile, String rolesClaim, Duration cacheDuration, Duration refetchInterval) {

  /** JWS algorithms an issuer may use: public-key signatures only, never {@code none} or an HMAC. */
  public static final List<String> ASYMMETRIC_ALGORITHMS = List.of(
      "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");

  private static final Set<String> KEYS = Set.of("name", "issuer", "audience", "algorithms", "jwks_uri", "jwks_file",
      "ca_file", "roles_claim", "cache_duration", "refetch_interval");

  public IssuerConfig {
    audience = List.copyOf(audience);
    algorithms = List.copyOf(algorithms);
  }

  /** Keys come by discovery: neither {@code jwks_uri} nor {@code jwks_file} is set. */
  public boolean discovers() {
    return jwksUri == null && jwksFile == null;
  }

  static IssuerConfig read(Section s) {
    String name = s.string("name", null);
    if (name == null) {
      s.problems().add(s.node(), "name is required");
    } else if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
      s.problem("name", "'" + name + "' (expected: 1-64 of A-Z a-z 0-9 _ . -)");
    }
    String issuer = s.string("issuer", null);
    if (issuer == null || issuer.isBlank()) {
      s.problems().add(s.node(), "issuer is required (the exact iss of its tokens)");
    }
    List<String> audience = s.strings("audience", List.of());
    if (audience.isEmpty() || audience.stream().anyMatch(String::isBlank)) {
      s.problems().add(s.has("audience") ? s.get("audience") : s.node(),
          "audience is required: the aud value(s) this gateway accepts from this issuer");
    }
    List<String> algorithms = new ArrayList<>(s.parsed("algorithms", IssuerConfig::algorithm));
    if (algorithms.isEmpty()) {
      algorithms.addAll(List.of("ES256", "RS256"));
    }
    URI jwksUri = s.has("jwks_uri") ? https(s, "jwks_uri") : null;
    String file = s.string("jwks_file", null);
    Path jwksFile = file == null || file.isBlank() ? null : Path.of(file);
    if (jwksUri != null && jwksFile != null) {
      s.problem("jwks_file", "cannot be combined with jwks_uri");
    }
    if (jwksUri == null && jwksFile == null && issuer != null && !issuer.startsWith("https://")) {
      s.problem("issuer", "'" + issuer + "' (keys are discovered under the issuer, so it must be an https:// URL; "
          + "or set jwks_uri or jwks_file)");
    }
    String ca = s.string("ca_file", null);
    String rolesClaim = s.string("roles_claim", "roles");
    if (!rolesClaim.matches("[A-Za-z0-9_:-]{1,64}(\\.[A-Za-z0-9_:-]{1,64}){0,4}")) {
      s.problem("roles_claim", "'" + rolesClaim + "' (expected: a claim name, or a dotted path such as realm_access.roles)");
    }
    return new IssuerConfig(name, issuer, audience, algorithms, jwksUri, jwksFile,
        ca == null || ca.isBlank() ? null : Path.of(ca), rolesClaim,
        s.duration("cache_duration", Duration.ofMinutes(10)), s.duration("refetch_interval", Duration.ofSeconds(30)));
  }

  private static String algorithm(String text) {
    if (!ASYMMETRIC_ALGORITHMS.contains(text)) {
      throw new IllegalArgumentException("one of " + String.join(", ", ASYMMETRIC_ALGORITHMS)
          + "; none and HMAC algorithms are refused");
    }
    return text;
  }

  private static URI https(Section s, String key) {
    URI uri = s.httpUrl(key, null);
    if (uri != null && !uri.getScheme().equalsIgnoreCase("https")) {
      s.problem(key, "'" + uri + "' (expected: an https:// URL; keys are never fetched in the clear)");
      return null;
    }
    return uri;
  }

  static Set<String> keys() {
    return KEYS;
  }
}
