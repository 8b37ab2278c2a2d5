package io.gatehouse.http;

/** Carries a {@link Problem} from a stage or endpoint to the one renderer ({@code Exchange.fail}). No stack trace: it is an answer, not a bug. */
public final class ProblemException extends RuntimeException {

  private final transient Problem problem;
  private final String retryAfter;

  public ProblemException(Problem problem) {
    this(problem, 0);
  }

  /** A problem answered with {@code Retry-After: seconds} (a 429 or 503), when {@code seconds} is positive. */
  public ProblemException(Problem problem, long retryAfterSeconds) {
    super(problem.slug(), null, false, false);
    this.problem = problem;
    this.retryAfter = retryAfterSeconds > 0 ? Long.toString(retryAfterSeconds) : null;
  }

  public Problem problem() {
    return problem;
  }

  /** The {@code Retry-After} value, or null. */
  public String retryAfter() {
    return retryAfter;
  }
}
