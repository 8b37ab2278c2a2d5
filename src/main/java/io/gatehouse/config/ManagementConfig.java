package io.gatehouse.config;

import java.util.Set;

/** The management listener, {@code management}: health, metrics and (later) admin, on 127.0.0.1:9090 by default. */
public record ManagementConfig(ListenerConfig listener) {

  static ManagementConfig read(Section root) {
    Section s = root.section("management", Set.of("enabled", "host", "port"));
    return new ManagementConfig(ListenerConfig.read(s, "127.0.0.1", 9090));
  }
}
