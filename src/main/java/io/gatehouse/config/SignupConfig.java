package io.gatehouse.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Self-service signup, {@code signup}.
 *
 * @param enabled false hides {@code POST /auth/signup} (404)
 * @param defaultRoles the roles a new account gets
 * @param requires who may sign up: {@code anyone}; {@code api_key}, a caller presenting an API
 *     key with scope {@code signup} or role {@code admin}; or {@code admin}, a caller whose API key
 *     or session carries role {@code admin}
 * @param rateLimit limits on signups (default: 20 an hour per address)
 */
public record SignupConfig(boolean enabled, List<String> defaultRoles, String requires, List<RateLimitConfig> rateLimit) {

  /** Accounts one address may create: enough for a household or an office behind one NAT, not for a bot. */
  static final RateLimitConfig PER_ADDRESS = new RateLimitConfig(LimitKey.IP, null, 20, Duration.ofHours(1));

  static final Set<String> REQUIRES = Set.of("anyone", "api_key", "admin");

  static SignupConfig read(Section root) {
    Section s = root.section("signup", Set.of("enabled", "default_roles", "requires", "rate_limit"));
    List<String> roles = s.parsed("default_roles", Roles::parse);
    if (!s.has("default_roles")) {
      roles = List.of("user");
    }
    String requires = s.string("requires", "anyone").toLowerCase(Locale.ROOT);
    if (!REQUIRES.contains(requires)) {
      s.problem("requires", "'" + requires + "' (expected: anyone, api_key or admin)");
      requires = "admin";
    }
    return new SignupConfig(s.bool("enabled", true), roles, requires,
        s.has("rate_limit") ? RateLimitConfig.readAll(s, "rate_limit") : List.of(PER_ADDRESS));
  }
}
