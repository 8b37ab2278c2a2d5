package io.gatehouse.config;

import java.util.Set;

/** A plain HTTP listener: {@code server.http} ({@code enabled: true}, {@code host: 0.0.0.0}, {@code port: 8080}). Port 0 picks a free port. */
public record ListenerConfig(boolean enabled, String host, int port) {

  static final Set<String> KEYS = Set.of("enabled", "host", "port");

  /** @param l a section opened with {@link #KEYS} (management adds none of its own) */
  static ListenerConfig read(Section l, String defaultHost, int defaultPort) {
    return new ListenerConfig(l.bool("enabled", true), l.string("host", defaultHost), l.port("port", defaultPort));
  }
}
