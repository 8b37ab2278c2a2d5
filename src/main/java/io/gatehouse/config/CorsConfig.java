package io.gatehouse.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-origin policy, {@code cors}. Origins are matched exactly (scheme, host, port); {@code *}
 * allows any origin but is refused together with {@code allow_credentials}, since the Fetch
 * standard forbids that pairing and reflecting the caller's origin instead would trust everyone.
 */
public record CorsConfig(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
    List<String> exposedHeaders, boolean allowCredentials, Duration maxAge) {

  /** No cross-origin caller at all. */
  public static final CorsConfig NONE = new CorsConfig(List.of(), List.of("GET", "HEAD", "POST", "PUT", "PATCH",
      "DELETE"), List.of(), List.of(), false, Duration.ZERO);

  public boolean allowsAnyOrigin() {
    return allowedOrigins.contains("*");
  }

  static CorsConfig read(Section root) {
    Section s = root.section("cors", Set.of("allowed_origins", "allowed_methods", "allowed_headers",
        "exposed_headers", "allow_credentials", "max_age"));
    List<String> origins = new ArrayList<>();
    for (String origin : s.parsed("allowed_origins", CorsConfig::origin)) {
      origins.add(origin);
    }
    boolean credentials = s.bool("allow_credentials", false);
    if (credentials && origins.contains("*")) {
      s.problem("allow_credentials", "true cannot be combined with allowed_origins: ['*'] (list the origins instead)");
    }
    List<String> methods = s.parsed("allowed_methods", m -> {
      if (!m.matches("[A-Z]{1,20}")) {
        throw new IllegalArgumentException("an upper-case HTTP method such as GET");
      }
      return m;
    });
    return new CorsConfig(List.copyOf(origins),
        methods.isEmpty() ? List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE") : methods,
        lowerCase(s.parsed("allowed_headers", CorsConfig::headerName),
            List.of("authorization", "content-type", "x-request-id")),
        lowerCase(s.parsed("exposed_headers", CorsConfig::headerName), List.of("x-request-id")),
        credentials,
        s.durationOrZero("max_age", Duration.ofMinutes(10)));
  }

  private static List<String> lowerCase(List<String> values, List<String> fallback) {
    return values.isEmpty() ? fallback : values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
  }

  private static String headerName(String name) {
    if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")) {
      throw new IllegalArgumentException("a header name");
    }
    return name;
  }

  /** An origin is {@code scheme://host[:port]} with nothing after it, compared exactly as browsers send it. */
  private static String origin(String origin) {
    if (origin.equals("*")) {
      return origin;
    }
    if (!origin.matches("https?://[a-z0-9.\\-]+(:[0-9]{1,5})?|https?://\\[[0-9a-f:.]+](:[0-9]{1,5})?")) {
      throw new IllegalArgumentException("'*' or an origin such as https://app.example.com, lower-case, without a path");
    }
    return origin;
  }
}
