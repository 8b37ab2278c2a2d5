package io.gatehouse.identity;

import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;

/** Maps the account rules' exceptions to the problems callers see; anything else stays a 500. */
final class AccountFailures {

  private AccountFailures() {
  }

  static Throwable toProblem(Throwable failure) {
    if (failure instanceof InvalidFieldException invalid) {
      return new ProblemException(Problem.invalidField(invalid.field(), invalid.reason()));
    }
    if (failure instanceof UsernameTakenException) {
      return new ProblemException(Problem.USERNAME_TAKEN);
    }
    if (failure instanceof HashingPool.BusyException) {
      return new ProblemException(Problem.UNAVAILABLE.withDetail("Too many sign-ins at once; try again in a moment."));
    }
    return failure;
  }
}
