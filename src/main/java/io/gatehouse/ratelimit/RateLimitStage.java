package io.gatehouse.ratelimit;

import io.gatehouse.http.Principal;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.Problem;
import io.gatehouse.http.Stage;
import io.gatehouse.observability.AuditEvent;
import io.gatehouse.observability.AuditLog;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;

/**
 * A route's rate-limit stage, one per slot: its limits whose key is known at that point (before
 * the guard: the ip-limit slot; after it: the subject-limit slot). Each decision is recorded on the
 * exchange, which writes the tightest one's {@code RateLimit-*} fields on whatever response
 * follows; the first refusal answers 429 with {@code Retry-After} (audited as
 * {@code rate_limit.refused}), and later limits are then not charged. Immutable; shared by every
 * event loop.
 */
public final class RateLimitStage implements Stage {

  static final String EVENT = "rate_limit.refused";

  /** Makes routes' limit stages, all deciding with one limiter. */
  public static final class Factory {
    private final RateLimiter limiter;
    private final AuditLog audit;
    private final Clock clock;

    /** @param audit where refusals are audited (the log stream only: anyone can cause them in bulk), or null */
    public Factory(RateLimiter limiter, AuditLog audit, Clock clock) {
      this.limiter = limiter;
      this.audit = audit;
      this.clock = clock;
    }

    /**
     * The ip-limit slot of route {@code routeId}: limits by address, route or header, before any
     * credential is checked.
     */
    public Stage beforeGuard(String routeId, RouteLimits limits) {
      return stage(routeId, limits.beforeGuard());
    }

    /** The subject-limit slot: limits by the admitted caller's identity. */
    public Stage afterGuard(String routeId, RouteLimits limits) {
      return stage(routeId, limits.afterGuard());
    }

    private Stage stage(String routeId, Limit[] limits) {
      return limits.length == 0 ? Stage.PASS : new RateLimitStage(limiter, routeId, limits, audit, clock);
    }
  }

  private final RateLimiter limiter;
  private final String routeId;
  private final Limit[] limits;
  private final AuditLog audit;
  private final Clock clock;

  private RateLimitStage(RateLimiter limiter, String routeId, Limit[] limits, AuditLog audit, Clock clock) {
    this.limiter = limiter;
    this.routeId = routeId;
    this.limits = limits;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public Future<Boolean> apply(Exchange exchange) {
    return check(exchange, routeId, limits, 0);
  }

  private Future<Boolean> check(Exchange exchange, String routeId, Limit[] limits, int from) {
    for (int i = from; i < limits.length; i++) {
      Limit limit = limits[i];
      EventLoop loop = exchange.channel().eventLoop();
      Future<Decision> decided = limiter.acquire(limit, limit.keyOf(exchange, routeId), loop);
      if (!decided.isComplete()) {
        int next = i + 1;
        Promise<Boolean> rest = Promise.promise();
        decided.onComplete(answered -> {
          Runnable goOn = () -> {
            if (answered.failed()) {
              rest.fail(answered.cause());
            } else if (record(exchange, answered.result())) {
              check(exchange, routeId, limits, next).onComplete(rest);
            } else {
              refuse(exchange, routeId, answered.result()).onComplete(rest);
            }
          };
          // The rest goes on on the exchange's thread, whichever thread the limiter answered on.
          if (loop.inEventLoop()) {
            goOn.run();
          } else {
            loop.execute(goOn);
          }
        });
        return rest.future();
      }
      if (decided.failed()) {
        return Future.failedFuture(decided.cause()); // a limiter told to refuse while it cannot decide
      }
      if (!record(exchange, decided.result())) {
        return refuse(exchange, routeId, decided.result());
      }
    }
    return CONTINUE;
  }

  /** 429, audited with the route and the limit, never the key's value (a header's could be a secret). */
  private Future<Boolean> refuse(Exchange exchange, String routeId, Decision decision) {
    if (audit != null) {
      Principal principal = exchange.principal();
      audit.log(new AuditEvent(clock.instant(), EVENT, "refused", principal == null ? null : principal.subject(),
          exchange.clientAddress(), exchange.requestId(), "route=" + routeId + " limit=" + decision.limit()
              + " retry_after=" + decision.retryAfterSeconds()));
    }
    return Stage.reject(Problem.TOO_MANY_REQUESTS);
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
