package io.gatehouse.config;

import java.util.Set;

/** A plain HTTP listener: {@code server.http} ({@code enabled: true}, {@code host: 0.0.0.0}, {@code port: 8080}). Port 0 picks a free port. */
public record ListenerConfig(boolean enabled, String host, int port) {

  static ListenerConfig read(Section s, String defaultHost, int defaultPort) {
    Section l = new Section(s.node(), s.problems(), Set.of("enabled", "host", "port"));
    return new ListenerConfig(l.bool("enabled", true), l.string("host", defaultHost), l.port("port", defaultPort));
  }
}
