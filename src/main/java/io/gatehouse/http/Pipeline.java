package io.gatehouse.http;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.Future;
import java.util.ArrayList;
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
 *   <li>body: gathered here, before the guard, only for a built-in endpoint whose credential or
 *       form proof is in it (OAuth client authentication, the login form's CSRF token);</li>
 *   <li>guard: the route's credential kinds (401) and requirements (403), CSRF for cookies;</li>
 *   <li>subject rate limit: the route's limits keyed by the admitted caller (429);</li>
 *   <li>dispatch: the built-in endpoint, fixed response or upstream that answers;</li>
 * </ol>
 *
 * (the ip rate limit, body, guard and subject rate limit stages are the chosen {@link Route}'s own) and
 * then, when the last byte is written or the client leaves, the {@link ExchangeObserver}s: the
 * access log and metrics.
 * Stages run synchronously until one returns an incomplete future; the rest continue on the
 * exchange's event loop when it completes. While the exchange's span is recorded (tracing export
 * on), each stage runs with it as OpenTelemetry's current context, so that the store calls and key
 * fetches it starts behind their ports find their parent ({@link ChildSpans}); that is the one
 * place request state rides on a thread, and only for the length of a stage's call. Immutable;
 * one per listener, shared by its event loops.
 */
public final class Pipeline {

  private final Stage requestId;
  private final Stage limits;
  private final Stage cors;
  private final Stage route;
  private final ProblemRenderer problems;
  private final SecurityHeaders securityHeaders;
  private final long maxBodyBytes;
  private final ExchangeObserver[] observers;
  private final FailureMapper[] failures;

  private Pipeline(Builder builder) {
    this.requestId = Objects.requireNonNull(builder.requestId, "requestId");
    this.limits = Objects.requireNonNull(builder.limits, "limits");
    this.cors = Objects.requireNonNull(builder.cors, "cors");
    this.route = Objects.requireNonNull(builder.routing, "routing");
    this.problems = Objects.requireNonNull(builder.problems, "problems");
    this.securityHeaders = Objects.requireNonNull(builder.securityHeaders, "securityHeaders");
    this.maxBodyBytes = builder.maxBodyBytes;
    this.observers = builder.observers.toArray(ExchangeObserver[]::new);
    this.failures = builder.failures.toArray(FailureMapper[]::new);
  }

  /** A pipeline, its stages given by name. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects a pipeline's parts by name, so two stages cannot be swapped by position. */
  public static final class Builder {
    private Stage requestId;
    private Stage limits;
    private Stage cors;
    private Stage routing;
    private ProblemRenderer problems;
    private SecurityHeaders securityHeaders;
    private long maxBodyBytes;
    private final List<ExchangeObserver> observers = new ArrayList<>();
    private final List<FailureMapper> failures = new ArrayList<>();

    private Builder() {
    }

    /** Maps a capability's own exceptions to problems; asked in the order registered. */
    public Builder failures(FailureMapper mapper) {
      failures.add(Objects.requireNonNull(mapper, "mapper"));
      return this;
    }

    public Builder requestId(Stage stage) {
      this.requestId = stage;
      return this;
    }

    public Builder limits(Stage stage) {
      this.limits = stage;
      return this;
    }

    public Builder cors(Stage stage) {
      this.cors = stage;
      return this;
    }

    /** Chooses the {@link Route}, whose own stages then run in their slots. */
    public Builder routing(Stage stage) {
      this.routing = stage;
      return this;
    }

    public Builder problems(ProblemRenderer renderer) {
      this.problems = renderer;
      return this;
    }

    public Builder securityHeaders(SecurityHeaders headers) {
      this.securityHeaders = headers;
      return this;
    }

    public Builder maxBodyBytes(long bytes) {
      this.maxBodyBytes = bytes;
      return this;
    }

    /** Told of every finished exchange (the access log, the metrics); none by default. */
    public Builder observer(ExchangeObserver observer) {
      observers.add(Objects.requireNonNull(observer, "observer"));
      return this;
    }

    public Pipeline build() {
      return new Pipeline(this);
    }
  }

  /** The stages' names in the order they run. */
  public List<String> order() {
    return ORDER;
  }

  private static final List<String> ORDER = List.of("request-id", "limits", "security-headers-cors", "route",
      "ip-rate-limit", "body", "guard", "subject-rate-limit", "dispatch");

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
      case 4 -> exchange.route().ipLimits().apply(exchange);
      case 5 -> exchange.route().body().apply(exchange);
      case 6 -> exchange.route().guard().apply(exchange);
      case 7 -> exchange.route().subjectLimits().apply(exchange);
      default -> dispatch(exchange);
    };
  }

  /** Stage {@code index} with the exchange's span current. */
  private Future<Boolean> stageInSpan(Context traced, int index, Exchange exchange) {
    try (Scope scope = traced.makeCurrent()) {
      return stage(index, exchange);
    }
  }

  private static Future<Boolean> dispatch(Exchange exchange) {
    exchange.route().target().dispatch(exchange);
    return Stage.ANSWERED;
  }

  void handle(Exchange exchange) {
    run(exchange, 0);
  }

  private void run(Exchange exchange, int from) {
    for (int i = from; i < ORDER.size(); i++) {
      Future<Boolean> outcome;
      try {
        Context traced = exchange.spanContext();
        outcome = traced == null ? stage(i, exchange) : stageInSpan(traced, i, exchange);
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
    for (ExchangeObserver observer : observers) {
      observer.completed(exchange, routeId, nanos);
    }
  }

  /** The problem a registered mapper answers {@code failure} with, or null when none knows it. */
  ProblemException mapped(Throwable failure) {
    for (FailureMapper mapper : failures) {
      ProblemException problem = mapper.map(failure);
      if (problem != null) {
        return problem;
      }
    }
    return null;
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
