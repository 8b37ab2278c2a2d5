package io.gatehouse.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A fixed answer for a route, {@code respond: {status: 200, headers: {…}, body: "…"}}: mocks, health checks, maintenance pages. */
public record RespondConfig(int status, Map<String, String> headers, String body) {

  static RespondConfig read(Section route) {
    Section s = route.section("respond", Set.of("status", "headers", "body"));
    Map<String, String> headers = new LinkedHashMap<>();
    ConfigNode headerNode = s.get("headers");
    if (headerNode.kind() == ConfigNode.Kind.MAP) {
      for (ConfigNode value : headerNode.entries().values()) {
        String name = value.path().substring(headerNode.path().length() + 1);
        if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")) {
          route.problems().add(value, "not a valid header name");
        } else if (value.kind() != ConfigNode.Kind.SCALAR || !value.text().matches("[\\t\\x20-\\x7e]*")) {
          route.problems().add(value, "expected a header value of printable ASCII");
        } else {
          headers.put(name, value.text());
        }
      }
    } else if (!headerNode.isAbsent()) {
      route.problems().add(headerNode, "expected a mapping of header names to values, got " + headerNode.describe());
    }
    return new RespondConfig(s.integer("status", 200, 200, 599), Map.copyOf(headers), s.string("body", ""));
  }
}
