package io.gatehouse.gateway;

import io.gatehouse.config.RouteSelector;
import io.gatehouse.config.path.PathSegments;
import io.gatehouse.http.RouteMatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Chooses the route for a request: among routes whose pattern, method and host filters all
 * accept it, the one with the most specific path pattern; on equal patterns a route with host,
 * then method filters wins, then the one listed first. A trailing slash does not change the
 * choice ({@code /api/users/42/} is routed as {@code /api/users/42}), so it can never make a
 * request fall through to a less specific, less protected route; the upstream still receives the
 * path with its slash. Routes are indexed by their first literal segment, so a request is only
 * matched against the routes that could take it (and those starting with a wildcard). Immutable
 * and thread-safe.
 *
 * @param <R> what a route is to the caller; {@code selector} tells which requests it takes
 */
public final class RouteTable<R> {

  private final List<R> routes;
  private final RouteSelector[] selectors;
  /** First literal segment to the indexes of the routes that may match, most specific first. */
  private final Map<String, int[]> byFirstSegment;
  /** The routes whose first segment is a wildcard, most specific first: the candidates for any other first segment. */
  private final int[] wildcardFirst;
  private final boolean usesHosts;

  public RouteTable(List<R> routes, Function<R, RouteSelector> selector) {
    List<R> sorted = new ArrayList<>(routes);
    Comparator<R> mostSpecificFirst = ((Comparator<R>) (a, b) -> selector.apply(a).path()
        .compareSpecificity(selector.apply(b).path()))
        .thenComparing(r -> selector.apply(r).hosts().isEmpty())
        .thenComparing(r -> selector.apply(r).methods().isEmpty());
    sorted.sort(mostSpecificFirst); // stable: config order breaks the remaining ties
    this.routes = List.copyOf(sorted);
    this.selectors = sorted.stream().map(selector).toArray(RouteSelector[]::new);
    Map<String, List<Integer>> buckets = new HashMap<>();
    List<Integer> wildcards = new ArrayList<>();
    for (int i = 0; i < selectors.length; i++) {
      String first = selectors[i].path().firstLiteral();
      if (first == null) {
        wildcards.add(i);
      } else {
        buckets.computeIfAbsent(first, k -> new ArrayList<>()).add(i);
      }
    }
    Map<String, int[]> index = new HashMap<>();
    buckets.forEach((first, literal) -> {
      List<Integer> candidates = new ArrayList<>(literal);
      candidates.addAll(wildcards);
      candidates.sort(null); // back into the table's order: most specific first
      index.put(first, candidates.stream().mapToInt(Integer::intValue).toArray());
    });
    this.byFirstSegment = Map.copyOf(index);
    this.wildcardFirst = wildcards.stream().mapToInt(Integer::intValue).toArray();
    this.usesHosts = java.util.Arrays.stream(selectors).anyMatch(c -> !c.hosts().isEmpty());
  }

  /** Whether any route filters by host, so the request's host matters to {@link #match}. */
  public boolean usesHosts() {
    return usesHosts;
  }

  /**
   * @param normalizedPath a path from {@link PathNormalizer#normalize}
   * @param host the request's host without port, lower case, or null
   * @return the match, or null when no route takes the request
   */
  public RouteMatch<R> match(String method, String host, String normalizedPath) {
    PathSegments segments = PathSegments.of(normalizedPath);
    String lowerHost = host == null ? null : stripDot(host.toLowerCase(Locale.ROOT));
    for (int i : byFirstSegment.getOrDefault(segments.segment(0), wildcardFirst)) {
      RouteSelector route = selectors[i];
      if (!route.methods().isEmpty() && !route.methods().contains(method)) {
        continue;
      }
      if (!route.hosts().isEmpty() && !hostMatches(route.hosts(), lowerHost)) {
        continue;
      }
      if (route.path().matches(segments)) {
        return new RouteMatch<>(routes.get(i), normalizedPath, upstreamPath(route, normalizedPath, segments));
      }
    }
    return null;
  }

  private static String upstreamPath(RouteSelector route, String path, PathSegments segments) {
    if (route.rewrite() != null) {
      return route.rewrite().apply(route.path().captures(segments));
    }
    String prefix = route.stripPrefix();
    if (prefix == null || prefix.equals("/")) {
      return path;
    }
    String rest = path.substring(prefix.length());
    return rest.isEmpty() ? "/" : rest;
  }

  /** Whether {@code host} (lower case, no trailing dot) is named by one of {@code patterns} ({@code *.example.com} for sub-domains). */
  public static boolean hostMatches(List<String> patterns, String host) {
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
