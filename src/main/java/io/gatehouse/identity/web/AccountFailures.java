package io.gatehouse.identity.web;

import io.gatehouse.http.FailureMapper;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.identity.HashingPool;
import io.gatehouse.identity.InvalidFieldException;
import io.gatehouse.identity.UsernameTakenException;
import io.gatehouse.identity.passkey.PasskeyRejected;

/**
 * Maps the identity rules' exceptions (a bad field, a taken name, a refused passkey, a busy hashing pool) to the
 * problems callers see: registered once with the pipelines at the composition root, so endpoints
 * just fail with them; anything else stays a 500.
 */
public final class AccountFailures {

  private AccountFailures() {
  }

  /** The mapping, registered with the pipelines at the root. */
  public static final FailureMapper FAILURES = AccountFailures::map;

  private static ProblemException map(Throwable failure) {
    if (failure instanceof InvalidFieldException invalid) {
      return new ProblemException(Problem.invalidField(invalid.field(), invalid.reason()));
    }
    if (failure instanceof UsernameTakenException) {
      return new ProblemException(Problem.USERNAME_TAKEN);
    }
    if (failure instanceof PasskeyRejected) {
      return new ProblemException(PasskeySignInHandler.REJECTED);
    }
    if (failure instanceof HashingPool.BusyException) {
      return new ProblemException(Problem.UNAVAILABLE.withDetail("Too many sign-ins at once; try again in a moment."));
    }
    return null;
  }
}
