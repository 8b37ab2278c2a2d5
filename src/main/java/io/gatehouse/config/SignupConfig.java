package io.gatehouse.config;

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
 */
public record SignupConfig(boolean enabled, List<String> defaultRoles, String requires) {

  static final Set<String> REQUIRES = Set.of("anyone", "api_key", "admin");

  static SignupConfig read(Section root) {
    Section s = root.section("signup", Set.of("enabled", "default_roles", "requires"));
    List<String> roles = s.parsed("default_roles", Roles::parse);
    if (!s.has("default_roles")) {
      roles = List.of("user");
    }
    String requires = s.string("requires", "anyone").toLowerCase(Locale.ROOT);
    if (!REQUIRES.contains(requires)) {
      s.problem("requires", "'" + requires + "' (expected: anyone, api_key or admin)");
      requires = "admin";
    }
    return new SignupConfig(s.bool("enabled", true), roles, requires);
  }
}
