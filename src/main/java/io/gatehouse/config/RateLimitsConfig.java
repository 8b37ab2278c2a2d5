package io.gatehouse.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Rate limiting as a whole, {@code rate_limits}.
 *
 * @param defaults the limits of every configured route without its own {@code rate_limit}
 *     (default: none); a route opts out with {@code rate_limit: []}
 * @param builtin the limits of each public built-in endpoint ({@code /auth/*}, {@code /oauth2/*}),
 *     counted per endpoint (default: 600 a minute per address; {@code []} for none); some have
 *     their own besides ({@code signup.rate_limit}), and login and the token endpoint slow down
 *     failures on their own
 * @param login failures allowed at {@code POST /auth/login} before delays start
 * @param token failed client authentications allowed at the token endpoint before delays start
 * @param failOpen with {@code store.redis}: while Redis cannot be reached, admit (the default:
 *     an outage of the counters must not take every API down) rather than refuse with 503
 * @param maxKeys distinct keys counted at once across all limits (default 1,000,000: 195 MB of
 *     heap when full, measured by {@code bench/ratelimit-memory.sh}). Idle keys are forgotten once their window has passed; while the table
 *     is full, new keys share one counter per limit, so a flood of new keys cannot grow memory
 */
public record RateLimitsConfig(List<RateLimitConfig> defaults, List<RateLimitConfig> builtin, int maxKeys,
    FreeFailures login, FreeFailures token, boolean failOpen) {

  /**
   * Failures allowed before a growing delay starts, {@code rate_limits.login_failures: {address:
   * 20, account: 5}} and {@code rate_limits.token_failures: {address: 20, client: 10}}.
   *
   * @param address failures from one address (any account or client)
   * @param identity failures for one account (login) or one client (token endpoint)
   */
  public record FreeFailures(int address, int identity) {

    static FreeFailures read(Section root, String key, String identityKey, FreeFailures defaults) {
      Section s = root.section(key, Set.of("address", identityKey));
      return new FreeFailures(s.integer("address", defaults.address(), 1, 1_000_000),
          s.integer(identityKey, defaults.identity(), 1, 1_000_000));
    }
  }

  /** Ten a second per address, sustained, on each built-in endpoint: more than a person or an app needs, far less than a flood. */
  static final RateLimitConfig BUILTIN = new RateLimitConfig(LimitKey.IP, null, 600, Duration.ofMinutes(1));

  static RateLimitsConfig read(Section root) {
    Section s = root.section("rate_limits", Set.of("default", "builtin", "max_keys", "login_failures", "token_failures",
        "fail_open"));
    return new RateLimitsConfig(RateLimitConfig.readAll(s, "default"),
        s.has("builtin") ? RateLimitConfig.readAll(s, "builtin") : List.of(BUILTIN),
        s.integer("max_keys", 1_000_000, 1_000, 50_000_000),
        FreeFailures.read(s, "login_failures", "account", new FreeFailures(20, 5)),
        FreeFailures.read(s, "token_failures", "client", new FreeFailures(20, 10)),
        s.bool("fail_open", true));
  }
}
