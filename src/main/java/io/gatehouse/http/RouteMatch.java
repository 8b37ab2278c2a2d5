package io.gatehouse.http;

/**
 * The route chosen for a request and the path it is forwarded with.
 *
 * @param route what the table was built from (a {@code Route} in the server, a config in tests)
 * @param path the normalised request path (what matched)
 * @param upstreamPath the path after {@code strip_prefix} or {@code rewrite}
 */
public record RouteMatch<R>(R route, String path, String upstreamPath) {
}
