package io.gatehouse.keys;

import java.time.Instant;

/**
 * A signing key as stored: its private JWK sealed under the master key.
 *
 * @param activeFrom when it starts signing; it is published from {@code createdAt}, ahead of that
 * @param retiredAt when a successor took over, or null while it is current or next
 */
public record StoredKey(String kid, String algorithm, String sealedJwk, Instant createdAt, Instant activeFrom,
    Instant retiredAt) {
}
