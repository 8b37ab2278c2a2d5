package io.gatehouse.http;

import io.gatehouse.observability.AccessLog;
import io.gatehouse.observability.RequestMetrics;
import io.vertx.core.Future;
import java.util.List;
import java.util.Objects;

/**
 * The request pipeline, in the one place its order is written. Every request, proxied, built in
 * or refused, passes these stages in this order until one answers:
 *
 * <ol>
 *   <li>request id (and the client address behind trusted proxies);</li>
 *   <li>limits: framing, Host, method, version, declared body size, body deadline;</li>
 *   <li>security headers and CORS: preflights answered here. The security headers themselves are
 *       written on every response head by the {@link Exchange}, so even a 400 from the limits
 *       stage carries them;</li>
 *   <li>route: path normalisation (400), host allow-list (421), route choice (404, 405);</li>
 *   <li>ip rate limit: the route's limits keyed by address, route or header (429), so a flood is
 *       refused before any credential is checked;</li>
 *   <li>guard: the route's credential kinds (401) and requirements (403), CSRF for cookies;</li>
 *   <li>subject rate limit: the route's limits keyed by the admitted caller (429);</li>
 *   <li>dispatch: the built-in endpoint, fixed response or upstream that answers;</li>
 * </ol>
 *
 * and then, when the last byte is written or the client leaves, the access log and metrics.
 * Stages run synchronously until one returns an incomplete future; the rest continue on the
 * exchange's event loop when it completes. Immutable; one per listener, shared by its event loops.
 */
public final class Pipeline {

  private final Stage requestId;
  private final Stage limits;
  private final Stage cors;
  private final Stage route;
  private final Stage ipRateLimit;
  private final Stage guard;
  private final Stage subjectRateLimit;
  private final Stage dispatch;
  private final ProblemRenderer problems;
  private final SecurityHeaders securityHeaders;
  private final long maxBodyBytes;
  private final AccessLog accessLog;
  private final RequestMetrics metrics;

  /**
   * @param accessLog where each finished exchange is logged, or null (the management listener)
   * @param metrics request meters, or null
   */
  public Pipeline(Stage requestId, Stage limits, Stage cors, Stage route, Stage ipRateLimit, Stage guard,
      Stage subjectRateLimit, Stage dispatch, ProblemRenderer problems, SecurityHeaders securityHeaders,
      long maxBodyBytes, AccessLog accessLog, RequestMetrics metrics) {
    this.requestId = Objects.requireNonNull(requestId, "requestId");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.cors = Objects.requireNonNull(cors, "cors");
    this.route = Objects.requireNonNull(route, "route");
    this.ipRateLimit = Objects.requireNonNull(ipRateLimit, "ipRateLimit");
    this.guard = Objects.requireNonNull(guard, "guard");
    this.subjectRateLimit = Objects.requireNonNull(subjectRateLimit, "subjectRateLimit");
    this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
    this.problems = problems;
    this.securityHeaders = securityHeaders;
    this.maxBodyBytes = maxBodyBytes;
    this.accessLog = accessLog;
    this.metrics = metrics;
  }

  /** The stages' names in the order they run. */
  public List<String> order() {
    return ORDER;
  }

  private static final List<String> ORDER = List.of("request-id", "limits", "security-headers-cors", "route",
      "ip-rate-limit", "guard", "subject-rate-limit", "dispatch");

  /**
   * Stage {@code index} of {@link #ORDER}. One call site per stage, so the JIT sees one receiver
   * at each and inlines it (a loop over an array of stages would be one megamorphic site).
   */
  private Future<Boolean> stage(int index, Exchange exchange) {
    return switch (index) {
      case 0 -> requestId.apply(exchange);
      case 1 -> limits.apply(exchange);
      case 2 -> cors.apply(exchange);
      case 3 -> route.apply(exchange);
      case 4 -> ipRateLimit.apply(exchange);
      case 5 -> guard.apply(exchange);
      case 6 -> subjectRateLimit.apply(exchange);
      default -> dispatch.apply(exchange);
    };
  }

  void handle(Exchange exchange) {
    run(exchange, 0);
  }

  private void run(Exchange exchange, int from) {
    for (int i = from; i < ORDER.size(); i++) {
      Future<Boolean> outcome;
      try {
        outcome = stage(i, exchange);
      } catch (RuntimeException bug) {
        exchange.fail(bug);
        return;
      }
      if (outcome.isComplete()) {
        if (outcome.failed()) {
          exchange.fail(outcome.cause());
          return;
        }
        if (!outcome.result()) {
          return;
        }
        continue;
      }
      int next = i + 1;
      outcome.onComplete(result -> onLoop(exchange, () -> {
        if (exchange.isFinished()) {
          return; // the client left, or the body timed out, while the stage waited
        }
        if (result.failed()) {
          exchange.fail(result.cause());
        } else if (result.result()) {
          run(exchange, next);
        }
      }));
      return;
    }
  }

  /** Runs {@code task} on the exchange's event loop: futures of stores and workers may complete elsewhere. */
  static void onLoop(Exchange exchange, Runnable task) {
    var loop = exchange.channel().eventLoop();
    if (loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  /** The last step: the exchange is over (answered, abandoned, or its client gone). */
  void completed(Exchange exchange) {
    long nanos = System.nanoTime() - exchange.startNanos();
    Route route = exchange.route();
    String routeId = route == null ? null : route.id();
    if (metrics != null) {
      metrics.request(routeId, exchange.status(), nanos);
    }
    if (accessLog != null) {
      accessLog.record(exchange, routeId, nanos);
    }
  }

  ProblemRenderer problems() {
    return problems;
  }

  SecurityHeaders securityHeaders() {
    return securityHeaders;
  }

  long maxBodyBytes() {
    return maxBodyBytes;
  }
}
