package io.gatehouse.http;

import io.gatehouse.config.RouteConfig;
import io.gatehouse.guard.RouteGuard;
import io.gatehouse.ratelimit.RouteLimits;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Set;

/**
 * A route as the pipeline runs it, built once at start: its config, its guard, and what answers it.
 *
 * @param methods the methods a built-in endpoint takes (another gets 405 with {@code Allow}), or
 *     null for a configured route, whose {@code methods} filter is part of matching
 * @param limits its rate limits ({@link RouteLimits#NONE} when it has none)
 */
public record Route(RouteConfig config, RouteGuard guard, RouteTarget target, Set<HttpMethod> methods,
    RouteLimits limits) {

  public String id() {
    return config.id();
  }
}
