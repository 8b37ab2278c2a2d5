package io.gatehouse.gateway;

import io.gatehouse.config.RouteConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the route for a request: among routes whose pattern, method and host filters all
 * accept it, the one with the most specific path pattern; on equal patterns a route with host,
 * then method filters wins, then the one listed first. Immutable and thread-safe.
 */
public final class RouteTable {

  private static final Comparator<RouteConfig> MOST_SPECIFIC_FIRST = ((Comparator<RouteConfig>)
      (a, b) -> a.path().compareSpecificity(b.path()))
      .thenComparing(r -> r.hosts().isEmpty())
      .thenComparing(r -> r.methods().isEmpty());

  private final List<RouteConfig> routes;

  public RouteTable(List<RouteConfig> routes) {
    List<RouteConfig> sorted = new ArrayList<>(routes);
    sorted.sort(MOST_SPECIFIC_FIRST); // stable: config order breaks the remaining ties
    this.routes = List.copyOf(sorted);
  }

  /**
   * @param normalizedPath a path from {@link PathNormalizer#normalize}
   * @param host the request's host without port, or null
   * @return the match, or null when no route takes the request
   */
  public RouteMatch match(String method, String host, String normalizedPath) {
    String[] segments = normalizedPath.substring(1).split("/", -1);
    String lowerHost = host == null ? null : stripDot(host.toLowerCase(Locale.ROOT));
    for (RouteConfig route : routes) {
      if (!route.methods().isEmpty() && !route.methods().contains(method)) {
        continue;
      }
      if (!route.hosts().isEmpty() && !hostMatches(route.hosts(), lowerHost)) {
        continue;
      }
      String[] captures = route.path().match(segments);
      if (captures != null) {
        return new RouteMatch(route, normalizedPath, upstreamPath(route, normalizedPath, captures));
      }
    }
    return null;
  }

  private static String upstreamPath(RouteConfig route, String path, String[] captures) {
    if (route.rewrite() != null) {
      return route.rewrite().apply(captures);
    }
    String prefix = route.stripPrefix();
    if (prefix == null || prefix.equals("/")) {
      return path;
    }
    String rest = path.substring(prefix.length());
    return rest.isEmpty() ? "/" : rest;
  }

  private static boolean hostMatches(List<String> patterns, String host) {
    if (host == null) {
      return false;
    }
    for (String pattern : patterns) {
      if (pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : pattern.equals(host)) {
        return true;
      }
    }
    return false;
  }

  private static String stripDot(String host) {
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }
}
