package io.gatehouse.config;

import java.util.List;
import java.util.Set;

/**
 * Which verified client certificates an {@code auth: [mtls]} route accepts: any certificate from
 * {@code server.https.client_ca} when both lists are empty, else one whose subject DN is in
 * {@code subjects} or which carries a DNS, URI or e-mail SAN in {@code sans}.
 */
public record MtlsConfig(List<String> subjects, List<String> sans) {

  static MtlsConfig read(Section route) {
    Section s = route.section("mtls", Set.of("subjects", "sans"));
    return new MtlsConfig(s.strings("subjects", List.of()), s.strings("sans", List.of()));
  }
}
