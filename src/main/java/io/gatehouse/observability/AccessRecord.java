package io.gatehouse.observability;

/**
 * One line of the access log. The path is the normalised path without the query string: queries
 * may carry tokens, and no token reaches a log.
 *
 * @param upstreamMillis time to the upstream's response head, or a negative number when not proxied
 */
public record AccessRecord(String requestId, String method, String path, String route, int status,
    long bytes, double durationMillis, double upstreamMillis, String subject, String client, String ip) {
}
