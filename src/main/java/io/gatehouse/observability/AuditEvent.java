package io.gatehouse.observability;

import java.time.Instant;

/**
 * One security decision worth keeping: a signup, a login and its outcome, a logout, a password
 * change, an API key created or revoked. Never carries a password, token, key or cookie.
 *
 * @param event dotted name, such as {@code login} or {@code apikey.revoke}
 * @param outcome {@code success} or {@code failure}
 * @param userId the account concerned, when known
 * @param ip the client address, or null for the CLI
 * @param requestId the request's id, or null for the CLI
 * @param detail a short machine-readable reason or object id, or null
 */
public record AuditEvent(Instant time, String event, String outcome, String userId, String ip, String requestId,
    String detail) {
}
