package io.gatehouse.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * One rate limit, an entry of a route's {@code rate_limit} (one mapping or a list):
 * {@code {key: subject, limit: 100, per: 1m}}. At most {@code limit} requests per key are let
 * through in any stretch of time {@code per} long.
 *
 * @param key what is counted
 * @param header the header whose value is the key, for {@code key: header:<Name>} (lower case), else null
 * @param limit requests per window, at least 1
 * @param per the window, from 1 second to 1 day
 */
public record RateLimitConfig(LimitKey key, String header, int limit, Duration per) {

  static final Set<String> KEYS = Set.of("key", "limit", "per");
  private static final Duration MIN_PER = Duration.ofSeconds(1);
  private static final Duration MAX_PER = Duration.ofDays(1);

  /** The limits under {@code key} of {@code s}: one mapping or a list of them, shortest window first. */
  static List<RateLimitConfig> readAll(Section s, String key) {
    List<RateLimitConfig> out = new ArrayList<>();
    for (ConfigNode item : s.items(s.get(key))) {
      if (item.kind() != ConfigNode.Kind.MAP) {
        s.problems().add(item, "expected a mapping such as {key: ip, limit: 10, per: 1s}, got " + item.describe());
        continue;
      }
      RateLimitConfig limit = read(new Section(item, s.problems(), KEYS));
      if (limit != null) {
        out.add(limit);
      }
    }
    // Short windows refuse first: a request they refuse is then not charged to the longer ones.
    out.sort(Comparator.comparing(RateLimitConfig::per));
    return List.copyOf(out);
  }

  private static RateLimitConfig read(Section s) {
    String keyText = s.string("key", null);
    LimitKey key = null;
    String header = null;
    if (keyText == null) {
      s.problems().add(s.node(), "key is required (ip, subject, client, api_key, route or header:<Name>)");
    } else if (keyText.regionMatches(true, 0, "header:", 0, 7)) {
      header = keyText.substring(7).trim();
      if (!header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")) {
        s.problem("key", "'" + keyText + "' (expected: header:<a header name>)");
      } else {
        key = LimitKey.HEADER;
        header = header.toLowerCase(java.util.Locale.ROOT);
      }
    } else {
      for (LimitKey candidate : LimitKey.values()) {
        if (candidate != LimitKey.HEADER && candidate.configName().equals(keyText)) {
          key = candidate;
        }
      }
      if (key == null) {
        s.problem("key", "'" + keyText + "' (expected: ip, subject, client, api_key, route or header:<Name>)");
      }
    }
    if (!s.has("limit")) {
      s.problems().add(s.node(), "limit is required");
    }
    int limit = s.integer("limit", 1, 1, 1_000_000_000);
    if (!s.has("per")) {
      s.problems().add(s.node(), "per is required");
    }
    Duration per = s.duration("per", MIN_PER);
    if (per.compareTo(MIN_PER) < 0 || per.compareTo(MAX_PER) > 0) {
      s.problem("per", "'" + s.string("per", "") + "' (expected: from 1s to 1d)");
      per = MIN_PER;
    }
    return key == null ? null : new RateLimitConfig(key, header, limit, per);
  }

  /** For logs and audit: {@code subject:100/60s}, {@code header:x-tenant:10/1s}. */
  @Override
  public String toString() {
    return (key == LimitKey.HEADER ? "header:" + header : key.configName()) + ":" + limit + "/" + per.toSeconds() + "s";
  }
}
