package io.gatehouse.identity.passkey;

import java.time.Instant;

/**
 * A challenge the server issued for one ceremony (WebAuthn Level 3 §13.4.3: random, at least 16
 * bytes, used once).
 *
 * @param challenge the challenge bytes, base64url without padding
 * @param userId whose passkey a registration will make; null for a sign-in
 * @param expiresAt after this the challenge is refused
 */
public record WebAuthnChallenge(String challenge, String userId, Instant expiresAt) {
}
