package io.gatehouse.config;

import io.gatehouse.config.path.PathPattern;
import io.gatehouse.config.path.PathRewrite;
import java.util.List;
import java.util.Set;

/**
 * Which requests a route takes, and the path it passes on: all a route table needs of a route,
 * whether configured ({@link RouteConfig#selector()}) or a built-in endpoint ({@link #builtin}).
 * Immutable.
 *
 * @param id the route's id; a built-in endpoint's contains a ':', which config ids cannot
 * @param methods upper-case methods; empty means any
 * @param hosts lower-case host names, {@code *.example.com} for any sub-domain; empty means any
 * @param stripPrefix the literal prefix removed before the upstream, or null
 * @param rewrite the upstream path, or null to send the (prefix-stripped) normalised path
 */
public record RouteSelector(String id, PathPattern path, Set<String> methods, List<String> hosts, String stripPrefix,
    PathRewrite rewrite) {

  public RouteSelector {
    methods = Set.copyOf(methods);
    hosts = List.copyOf(hosts);
  }

  /** A built-in endpoint's: one literal path, any host; its methods are its handlers' (405 for others). */
  public static RouteSelector builtin(String id, String path) {
    if (id.indexOf(':') < 0) {
      throw new IllegalArgumentException("a built-in endpoint id has a ':': " + id);
    }
    return new RouteSelector(id, PathPattern.compile(path), Set.of(), List.of(), null, null);
  }
}
