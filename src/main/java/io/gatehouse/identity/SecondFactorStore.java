package io.gatehouse.identity;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where users' second factors live: a TOTP factor and recovery codes per user. Every single-use
 * check is one atomic statement (a compare-and-set on the last step, a delete of the code), so two
 * parallel requests with the same code cannot both pass. Durable when the future completes.
 */
public interface SecondFactorStore {

  Future<Optional<TotpFactor>> totp(String userId);

  /**
   * Stores a new, unconfirmed secret for {@code userId}, replacing an unconfirmed one; false (and
   * nothing changed) when the user has a confirmed factor.
   */
  Future<Boolean> beginTotp(String userId, String sealedSecret, Instant at);

  /**
   * Confirms the unconfirmed factor with its first code's step, and replaces the user's recovery
   * codes with {@code recoveryHashes}, in one transaction; false when there was no unconfirmed factor
   * (already confirmed by a parallel request, or reset) or its secret is no longer
   * {@code sealedSecret} (replaced by another enrolment page meanwhile: the code proved the old one).
   */
  Future<Boolean> confirmTotp(String userId, String sealedSecret, long step, Instant at, List<String> recoveryHashes);

  /**
   * Accepts {@code step} for the confirmed factor if it is later than the last accepted one
   * ({@code UPDATE … WHERE last_step < step}); false otherwise: a replay, or a race lost to it.
   */
  Future<Boolean> useStep(String userId, long step);

  /** Consumes one recovery code ({@code DELETE}); false when it is not there (never issued, or used). */
  Future<Boolean> useRecoveryCode(String userId, String codeHash);

  Future<Integer> recoveryCodesLeft(String userId);

  /**
   * Replaces every recovery code of {@code userId} with {@code hashes}, in one transaction that first
   * checks the user has a confirmed TOTP factor (and holds it, so a reset running beside it cannot
   * leave codes without a factor); false, and nothing changed, when there is none.
   */
  Future<Boolean> replaceRecoveryCodes(String userId, List<String> hashes, Instant at);

  /** Removes the user's TOTP factor and recovery codes; false when there was nothing to remove. */
  Future<Boolean> reset(String userId);
}
