package io.gatehouse.gateway;

import io.gatehouse.config.RouteConfig;

/**
 * The route chosen for a request and the path it is forwarded with.
 *
 * @param path the normalised request path (what matched)
 * @param upstreamPath the path after {@code strip_prefix} or {@code rewrite}
 */
public record RouteMatch(RouteConfig route, String path, String upstreamPath) {
}
