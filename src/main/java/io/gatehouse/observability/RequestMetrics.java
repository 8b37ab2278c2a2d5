package io.gatehouse.observability;

import io.gatehouse.http.Exchange;
import io.gatehouse.http.ExchangeObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Request and upstream meters under {@code gatehouse.*}. Tags are bounded: a route id from config
 * (or {@code none}), a status code, an error kind; never a path or a client.
 *
 * <ul>
 *   <li>{@code gatehouse.http.server.requests} timer with a latency histogram, by route and status</li>
 *   <li>{@code gatehouse.upstream.errors} counter, by route and kind ({@code connect}, {@code timeout}, {@code reset})</li>
 *   <li>{@code gatehouse.upstream.rejected} counter of requests answered 503 without reaching the upstream, by
 *       route and reason ({@code max_in_flight}, {@code circuit_open})</li>
 *   <li>{@code gatehouse.upstream.in_flight} gauge, by route, for routes with {@code max_in_flight}</li>
 *   <li>{@code gatehouse.upstream.circuit} gauge of a target's breaker (0 closed, 1 open, 2 half-open) and
 *       {@code gatehouse.upstream.circuit.transitions} counter, by route, target ({@code host:port}, from
 *       config) and, for transitions, the state entered</li>
 * </ul>
 */
public final class RequestMetrics implements ExchangeObserver {

  private static final Duration[] BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private final MeterRegistry registry;
  /** Route id to timers indexed by status - 100; looked up per request, so cached rather than rebuilt. */
  private final ConcurrentMap<String, Timer[]> timers = new ConcurrentHashMap<>();

  public RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void completed(Exchange exchange, String routeId, long nanos) {
    request(routeId, exchange.status(), nanos);
  }

  public void request(String route, int status, long nanos) {
    String routeTag = route == null ? "none" : route;
    Timer[] byStatus = timers.computeIfAbsent(routeTag, r -> new Timer[500]);
    int index = status >= 100 && status < 600 ? status - 100 : 0;
    Timer timer = byStatus[index];
    if (timer == null) {
      timer = Timer.builder("gatehouse.http.server.requests")
          .description("Requests handled, by route and response status")
          .tag("route", routeTag)
          .tag("status", Integer.toString(status))
          .serviceLevelObjectives(BUCKETS)
          .register(registry);
      byStatus[index] = timer;
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** @param kind {@code connect}, {@code timeout}, {@code reset} or {@code protocol} */
  public void upstreamError(String route, String kind) {
    Counter.builder("gatehouse.upstream.errors")
        .description("Upstream requests that failed before a response, by route and kind")
        .tag("route", route)
        .tag("kind", kind)
        .register(registry)
        .increment();
  }

  /** The counter of requests refused before the upstream, registered once by the route's proxy. */
  public Counter upstreamRejections(String route, String reason) {
    return Counter.builder("gatehouse.upstream.rejected")
        .description("Requests answered 503 without reaching the upstream, by route and reason")
        .tag("route", route)
        .tag("reason", reason)
        .register(registry);
  }

  /** Shows the requests of {@code route} now at its upstream. */
  public void upstreamInFlight(String route, Supplier<Number> count) {
    Gauge.builder("gatehouse.upstream.in_flight", count)
        .description("Requests at the upstream now, for routes with max_in_flight")
        .tag("route", route)
        .strongReference(true)
        .register(registry);
  }

  /** Shows the state of one target's circuit breaker: 0 closed, 1 open, 2 half-open. */
  public void upstreamCircuit(String route, String target, Supplier<Number> state) {
    Gauge.builder("gatehouse.upstream.circuit", state)
        .description("Circuit breaker state of an upstream target: 0 closed, 1 open, 2 half-open")
        .tag("route", route)
        .tag("target", target)
        .strongReference(true)
        .register(registry);
  }

  /** @param state the state entered: {@code closed}, {@code open} or {@code half_open} */
  public void upstreamCircuitTransition(String route, String target, String state) {
    Counter.builder("gatehouse.upstream.circuit.transitions")
        .description("Circuit breaker transitions of an upstream target, by the state entered")
        .tag("route", route)
        .tag("target", target)
        .tag("state", state)
        .register(registry)
        .increment();
  }
}
