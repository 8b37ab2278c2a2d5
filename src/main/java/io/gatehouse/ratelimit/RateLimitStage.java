package io.gatehouse.ratelimit;

import io.gatehouse.http.Exchange;
import io.gatehouse.http.Problem;
import io.gatehouse.http.Route;
import io.gatehouse.http.Stage;
import io.vertx.core.Future;

/**
 * Pipeline stage: the route's limits whose key is known at this point (before the guard: the
 * ip-limit slot; after it: the subject-limit slot). Each decision is recorded on the exchange,
 * which writes the tightest one's {@code RateLimit-*} fields on whatever response follows; the
 * first refusal answers 429 with {@code Retry-After}, and later limits are then not charged.
 * Stateless; shared by every event loop.
 */
public final class RateLimitStage implements Stage {

  private final RateLimiter limiter;
  private final boolean afterGuard;

  private RateLimitStage(RateLimiter limiter, boolean afterGuard) {
    this.limiter = limiter;
    this.afterGuard = afterGuard;
  }

  /** The ip-limit slot: limits by address, route or header, before any credential is checked. */
  public static RateLimitStage beforeGuard(RateLimiter limiter) {
    return new RateLimitStage(limiter, false);
  }

  /** The subject-limit slot: limits by the admitted caller's identity. */
  public static RateLimitStage afterGuard(RateLimiter limiter) {
    return new RateLimitStage(limiter, true);
  }

  @Override
  public Future<Boolean> apply(Exchange exchange) {
    Route route = exchange.route();
    Limit[] limits = afterGuard ? route.limits().afterGuard() : route.limits().beforeGuard();
    return limits.length == 0 ? CONTINUE : check(exchange, route.id(), limits, 0);
  }

  private Future<Boolean> check(Exchange exchange, String routeId, Limit[] limits, int from) {
    for (int i = from; i < limits.length; i++) {
      Limit limit = limits[i];
      Future<Decision> decided = limiter.acquire(limit, limit.keyOf(exchange, routeId));
      if (!decided.isComplete()) {
        int next = i + 1;
        return decided.compose(decision -> record(exchange, decision)
            ? check(exchange, routeId, limits, next) : Stage.reject(Problem.TOO_MANY_REQUESTS));
      }
      if (decided.succeeded() && !record(exchange, decided.result())) {
        return Stage.reject(Problem.TOO_MANY_REQUESTS);
      }
    }
    return CONTINUE;
  }

  /** Keeps the tighter of this and any earlier decision for the response; true when admitted. */
  private static boolean record(Exchange exchange, Decision decision) {
    if (exchange.rateLimit() instanceof Decision earlier && !decision.tighterThan(earlier)) {
      return decision.admitted();
    }
    exchange.rateLimit(decision);
    return decision.admitted();
  }
}
