package io.gatehouse.config;

import java.time.Duration;
import java.util.Set;

/**
 * Browser and app sessions, {@code sessions}: a session ends after {@code idle_timeout} without
 * use or {@code absolute_timeout} after login, whichever comes first.
 *
 * @param cookieName the cookie's base name; on HTTPS it is sent as {@code __Host-<name>}
 */
public record SessionsConfig(Duration idleTimeout, Duration absoluteTimeout, String cookieName) {

  static SessionsConfig read(Section root) {
    Section s = root.section("sessions", Set.of("idle_timeout", "absolute_timeout", "cookie"));
    Duration idle = s.duration("idle_timeout", Duration.ofMinutes(30));
    Duration absolute = s.duration("absolute_timeout", Duration.ofHours(12));
    if (absolute.compareTo(idle) < 0) {
      s.problem("absolute_timeout", "must not be shorter than idle_timeout");
    }
    Section cookie = s.section("cookie", Set.of("name"));
    String name = cookie.string("name", "gh_session");
    if (name.startsWith("__Host-")) {
      name = name.substring("__Host-".length()); // added on HTTPS anyway; accept the design's spelling
    }
    if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
      cookie.problem("name", "'" + name + "' (expected: 1-64 of A-Z a-z 0-9 _ . -)");
      name = "gh_session";
    }
    return new SessionsConfig(idle, absolute, name);
  }
}
