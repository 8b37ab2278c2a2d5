package io.gatehouse.soak;

/**
 * A rate limit of N per window lets at most N of a key's requests through within any one
 * window: a burst of more than N with a fresh key, all of it answered within the window, may
 * have at most N answers that are 2xx.
 */
final class LimitCheck {

  private LimitCheck() {
  }

  /**
   * @param admitted the burst's 2xx answers
   * @param spanSeconds from the first request sent to the last answer
   * @return false when the burst spanned more than the window, so proves nothing
   */
  static boolean check(Promises promises, int admitted, int limit, double spanSeconds, double windowSeconds) {
    if (spanSeconds >= windowSeconds) {
      return false;
    }
    if (admitted > limit) {
      promises.broken(BrokenPromise.LIMIT_OVERRUN, admitted + " admitted by a limit of " + limit + " per "
          + windowSeconds + " s, all within " + String.format("%.2f", spanSeconds) + " s");
    }
    return true;
  }
}
