package io.gatehouse.identity;

import java.time.Instant;

/**
 * A user's TOTP factor as stored.
 *
 * @param sealedSecret the secret, sealed with the master key for the label {@code totp:<user id>}
 * @param confirmedAt when a first code confirmed it, or null while enrolment is under way (it does
 *     not count as a factor until then)
 * @param lastStep the last RFC 6238 time step accepted (-1: none): no code of it or earlier is accepted again
 */
public record TotpFactor(String userId, String sealedSecret, Instant createdAt, Instant confirmedAt, long lastStep) {

  public boolean confirmed() {
    return confirmedAt != null;
  }
}
