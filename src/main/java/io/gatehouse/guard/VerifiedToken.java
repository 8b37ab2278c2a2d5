package io.gatehouse.guard;

import io.gatehouse.http.Principal;
import java.time.Instant;

/**
 * A token that passed verification: the caller it proves and the facts introspection and the
 * revocation list read.
 *
 * @param jti its {@code jti}, or null
 * @param issuedAt its {@code iat}, or null
 * @param sid the session it was issued with ({@code sid}), or null
 */
public record VerifiedToken(Principal principal, String jti, Instant expiresAt, Instant issuedAt, String sid) {
}
