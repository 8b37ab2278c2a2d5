package io.gatehouse.soak;

/**
 * A 5xx is a broken promise unless it is one Gatehouse documents for what was failing at the
 * time: its 503 with {@code Retry-After} while a store is down; its 502 or 504 (problem+json) while
 * the upstream resets or stalls; the load balancer's own 502/504 while an instance is killed.
 * Every failure (5xx or no answer) is tallied by kind.
 */
final class ServerErrorCheck {

  private final FaultSchedule schedule;
  private final Promises promises;
  private final Tally tally;

  ServerErrorCheck(FaultSchedule schedule, Promises promises, Tally tally) {
    this.schedule = schedule;
    this.promises = promises;
    this.tally = tally;
  }

  /** Judges a finished request that failed by a fault ({@link Answer#failedByFault()}). */
  void judge(Answer answer) {
    int second = schedule.blame(answer.startedAt(), answer.endedAt());
    if (!answer.answered()) {
      tally.unanswered(second, "no answer (" + answer.error().getClass().getSimpleName() + ")");
      return;
    }
    tally.failed(second, kind(answer));
    if (!documented(answer)) {
      promises.broken(BrokenPromise.UNDOCUMENTED_5XX, answer.toString());
    }
  }

  /** Tallies a failure that is not an HTTP answer (a WebSocket dropped) of something sent at {@code sentAt}. */
  void unanswered(double sentAt, String kind) {
    tally.unanswered(schedule.blame(sentAt, tally.clock().elapsed()), kind);
  }

  /** The second a wrong answer to a request sent at {@code sentAt} and ended at {@code endedAt} counts in. */
  int blame(double sentAt, double endedAt) {
    return schedule.blame(sentAt, endedAt);
  }

  private static String kind(Answer answer) {
    String from = gatehouse(answer) ? "" : " from the load balancer";
    return answer.status() + from;
  }

  private boolean documented(Answer answer) {
    double from = answer.startedAt();
    double to = answer.endedAt();
    int status = answer.status();
    if (!gatehouse(answer)) {
      return (status == 502 || status == 504) && schedule.allows(Allowance.GATEWAY_UNREACHABLE, from, to);
    }
    if (status == 503 && answer.header("retry-after").isPresent()) {
      return schedule.allows(Allowance.STORE_UNAVAILABLE, from, to)
          || schedule.allows(Allowance.UPSTREAM_FAILURE, from, to);
    }
    return (status == 502 || status == 504) && problem(answer)
        && schedule.allows(Allowance.UPSTREAM_FAILURE, from, to);
  }

  /** Gatehouse marks every answer with a request id; a load balancer's own error page has none. */
  private static boolean gatehouse(Answer answer) {
    return answer.header("x-request-id").isPresent();
  }

  private static boolean problem(Answer answer) {
    return answer.header("content-type").map(type -> type.startsWith("application/problem+json")).orElse(false);
  }
}
