package io.gatehouse.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Passkeys (WebAuthn discoverable credentials), {@code passkeys}. Off by default.
 *
 * <p>The relying party's id and the origins a ceremony may come from follow the {@code issuer} unless
 * given: its host is the RP id, its origin the one origin. Checked at load as WebAuthn Level 3 §5.1.4.1
 * and §13.4.9 ask: the RP id is a domain (a browser refuses an IP address), and it is each origin's host
 * or a registrable suffix of it; an origin is {@code https}, or {@code http} on {@code localhost} (the
 * only plain-HTTP secure context).
 *
 * @param enabled whether the passkey endpoints and the login page's button exist
 * @param rpId the relying party id (default: the issuer's host)
 * @param rpName what authenticators show for the relying party (default {@code Gatehouse})
 * @param origins the exact origins a ceremony's {@code clientDataJSON.origin} may name (default: the issuer's)
 * @param challengeTtl how long a challenge may be answered (default 2m)
 * @param rateLimit limits on each of the two sign-in endpoints, whose every call stores a challenge
 *     (default: 30 a minute per address)
 */
public record PasskeysConfig(boolean enabled, String rpId, String rpName, List<String> origins, Duration challengeTtl,
    List<RateLimitConfig> rateLimit) {

  /** Sign-ins one address may start: a few households' worth, not a flood of stored challenges. */
  static final RateLimitConfig PER_ADDRESS = new RateLimitConfig(LimitKey.IP, null, 30, Duration.ofMinutes(1));

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Duration DEFAULT_TTL = Duration.ofMinutes(2);

  public PasskeysConfig {
    origins = List.copyOf(origins);
    rateLimit = List.copyOf(rateLimit);
  }

  static PasskeysConfig read(Section root, URI issuer) {
    Section s = root.section("passkeys", Set.of("enabled", "rp_id", "rp_name", "origins", "challenge_ttl",
        "rate_limit"));
    boolean enabled = s.bool("enabled", false);
    String rpId = s.string("rp_id", issuer.getHost()).toLowerCase(Locale.ROOT);
    String rpName = s.string("rp_name", "Gatehouse");
    List<String> given = s.strings("origins", List.of(originOf(issuer)));
    Duration ttl = s.duration("challenge_ttl", DEFAULT_TTL);
    List<String> origins = given.stream().map(origin -> origin.toLowerCase(Locale.ROOT)).toList();
    // The RP id and the origins are checked only when used: a deployment without passkeys may have
    // an address as its issuer.
    if (enabled) {
      if (!isDomain(rpId)) {
        s.problem(s.has("rp_id") ? "rp_id" : "enabled", "'" + rpId + "' (expected: a domain name such as "
            + "example.com; browsers refuse an IP address as a WebAuthn RP id" + (s.has("rp_id") ? ")"
            : ": set passkeys.rp_id)"));
      }
      for (String origin : given) {
        String problem = originProblem(origin, rpId);
        if (problem != null) {
          s.problem(s.has("origins") ? "origins" : "enabled", "'" + origin + "' (expected: " + problem + ")");
        }
      }
      if (origins.isEmpty()) {
        s.problem("origins", "[] (expected: at least one origin)");
      }
    }
    if (rpName.isBlank() || rpName.length() > 64) {
      s.problem("rp_name", "'" + rpName + "' (expected: 1 to 64 characters)");
    }
    if (ttl.compareTo(Duration.ofMinutes(10)) > 0) {
      s.problem("challenge_ttl", ttl.toSeconds() + "s (expected: at most 10m; a challenge is answered within seconds)");
    }
    List<RateLimitConfig> limits = s.has("rate_limit") ? RateLimitConfig.readAll(s, "rate_limit") : List.of(PER_ADDRESS);
    return new PasskeysConfig(enabled, rpId, rpName, origins, ttl, limits);
  }

  /** {@code scheme://host[:port]} of {@code uri}, lower case, without the scheme's default port. */
  static String originOf(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    boolean defaultPort = port < 0 || scheme.equals("https") && port == 443 || scheme.equals("http") && port == 80;
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }

  /** Why {@code origin} cannot be a ceremony's origin for {@code rpId}, or null when it can. */
  static String originProblem(String origin, String rpId) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (java.net.URISyntaxException e) {
      return "an origin such as https://example.com";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
        || uri.getRawFragment() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
        || !originOf(uri).equals(origin.toLowerCase(Locale.ROOT))) {
      return "an origin such as https://example.com: scheme, host and a port other than the default, nothing more";
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http") && host.equals("localhost"))) {
      return "https, or http on localhost: WebAuthn needs a secure context";
    }
    if (!(host.equals(rpId) || host.endsWith("." + rpId))) {
      return "a host that is the RP id " + rpId + " or under it";
    }
    return null;
  }

  /** A DNS name of letters, digits and hyphens, not all-numeric at the end (not an IPv4 address). */
  static boolean isDomain(String name) {
    if (name == null || name.isEmpty() || name.length() > 253 || name.endsWith(".")) {
      return false;
    }
    String[] labels = name.split("\\.", -1);
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
  }
}
