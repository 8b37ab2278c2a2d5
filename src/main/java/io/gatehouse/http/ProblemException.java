package io.gatehouse.http;

/** Carries a {@link Problem} from a stage or endpoint to the one renderer ({@code Exchange.fail}). No stack trace: it is an answer, not a bug. */
public final class ProblemException extends RuntimeException {

  private final transient Problem problem;

  public ProblemException(Problem problem) {
    super(problem.slug(), null, false, false);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
