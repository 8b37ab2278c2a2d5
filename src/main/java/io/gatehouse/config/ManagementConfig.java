package io.gatehouse.config;

/** The management listener, {@code management}: health, metrics and (later) admin, on 127.0.0.1:9090 by default. */
public record ManagementConfig(ListenerConfig listener) {

  static ManagementConfig read(Section root) {
    Section s = root.section("management", ListenerConfig.KEYS);
    return new ManagementConfig(ListenerConfig.read(s, "127.0.0.1", 9090));
  }
}
