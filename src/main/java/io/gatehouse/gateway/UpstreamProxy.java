package io.gatehouse.gateway;

import io.gatehouse.config.CircuitBreakerConfig;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.config.UpstreamConfig;
import io.gatehouse.http.ChildSpans;
import io.gatehouse.http.Principal;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.Problem;
import io.gatehouse.http.RouteTarget;
import io.gatehouse.http.TraceContext;
import io.gatehouse.http.TrustedProxies;
import io.gatehouse.observability.Readiness;
import io.gatehouse.observability.RequestMetrics;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.EventExecutor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import java.time.Clock;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a route by forwarding to its upstream: targets in round robin, each with a keep-alive
 * {@link UpstreamPool} per event loop, so a request is proxied on the thread that read it. The
 * client's request head becomes the upstream's: request target rewritten (base path, prefix strip
 * or rewrite, query kept), headers edited in place by {@link ProxyHeaders}. A refused or reset
 * upstream gives 502; no connection within {@code connect_timeout}, or upstream silence for the
 * route's {@code timeout}, gives 504; both problem+json. WebSocket upgrades become a tunnel once
 * the upstream answers 101.
 *
 * <p>Protection of the upstream, both off unless configured: with {@code max_in_flight}, a
 * request beyond that many at the upstream at once (over every target and event loop) is answered
 * 503 with {@code Retry-After: 1} at once, never queued; a place is held from dispatch until the
 * proxied exchange ends in any way (response complete, client gone, upstream error or timeout),
 * and a WebSocket gives its place back when its tunnel starts, since a tunnel may last for hours
 * and is bounded by connections, not requests. With {@code circuit_breaker}, each target has a
 * {@link CircuitBreaker}: the round robin passes over targets that do not admit a request, and
 * when none does the answer is 503 with {@code Retry-After} the seconds until the first one
 * probes again, without contacting any. Their states are in {@code /metrics} and, as notices that
 * never fail readiness, in {@code /health/ready} as {@code upstream:<route>:<host:port>}.
 *
 * <p>With tracing export on, a call that reaches a target is a client span under the exchange's
 * ({@code {method}}, with {@code http.request.method}, {@code server.address}, {@code server.port},
 * {@code http.response.status_code} or {@code error.type}), and it is what the upstream's
 * {@code traceparent} names as the parent; otherwise the exchange's own span is.
 *
 * <p>Immutable after construction but for those shared counters; shared by the event loops.
 */
public final class UpstreamProxy implements RouteTarget {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamProxy.class);
  /** One second: places free as soon as requests under way finish. */
  private static final String BUSY_RETRY_AFTER = "1";
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

  private final RouteConfig route;
  private final ProxyHeaders headers;
  private final RequestMetrics metrics;
  private final Map<EventExecutor, LoopPools> pools;
  private final Function<Principal, String> identityTokens;
  /** By target index, as the pools; null without {@code circuit_breaker}. Targets on one host and port share one. */
  private final CircuitBreaker[] breakers;
  private final int maxInFlight;
  /** Requests at the upstream now, when {@code max_in_flight} is set (else never touched). */
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Counter rejectedBusy;
  private final Counter rejectedOpen;
  private final ChildSpans spans;

  /**
   * @param loops every event loop a request may arrive on
   * @param identityTokens the caller's {@code X-Gatehouse-Identity} token, or null when the route sends none
   * @param clock what the circuit breakers' {@code open_for} is measured by
   * @param readiness where each target's breaker state is shown
   * @param spans where the upstream calls' spans start (recording nothing with tracing export off)
   */
  public UpstreamProxy(RouteConfig route, TrustedProxies trustedProxies, String sessionCookieName, String ownIssuer,
      RequestMetrics metrics, UpstreamConnector connector, Iterable<EventExecutor> loops,
      Function<Principal, String> identityTokens, Clock clock, Readiness readiness, ChildSpans spans) {
    this.route = route;
    this.spans = spans;
    this.identityTokens = identityTokens;
    this.headers = new ProxyHeaders(trustedProxies, sessionCookieName, ownIssuer);
    this.metrics = metrics;
    UpstreamConfig upstream = route.upstream();
    List<UpstreamTarget> targets = upstream.targets().stream().map(UpstreamTarget::of).toList();
    this.maxInFlight = upstream.maxInFlight();
    this.rejectedBusy = metrics.upstreamRejections(route.id(), "max_in_flight");
    this.rejectedOpen = metrics.upstreamRejections(route.id(), "circuit_open");
    if (upstream.limitsInFlight()) {
      metrics.upstreamInFlight(route.id(), inFlight::get);
    }
    this.breakers = upstream.circuitBreaker() == null ? null
        : breakers(route.id(), upstream.circuitBreaker(), targets, clock, metrics, readiness);
    Map<EventExecutor, LoopPools> byLoop = new IdentityHashMap<>();
    for (EventExecutor executor : loops) {
      EventLoop loop = (EventLoop) executor;
      UpstreamPool[] loopPools = new UpstreamPool[targets.size()];
      for (int i = 0; i < loopPools.length; i++) {
        UpstreamTarget target = targets.get(i);
        long connectTimeout = upstream.connectTimeout().toMillis();
        loopPools[i] = new UpstreamPool(loop, connector.bootstrap(loop, target, connectTimeout), target,
            upstream.maxConnections(), connectTimeout);
      }
      byLoop.put(loop, new LoopPools(loopPools));
    }
    this.pools = byLoop;
  }

  private static CircuitBreaker[] breakers(String routeId, CircuitBreakerConfig config, List<UpstreamTarget> targets,
      Clock clock, RequestMetrics metrics, Readiness readiness) {
    Map<String, CircuitBreaker> byAddress = new HashMap<>();
    CircuitBreaker[] out = new CircuitBreaker[targets.size()];
    for (int i = 0; i < out.length; i++) {
      String address = targets.get(i).hostAndPort();
      out[i] = byAddress.computeIfAbsent(address, a -> {
        CircuitBreaker breaker = new CircuitBreaker(config, clock, (from, to) -> {
          metrics.upstreamCircuitTransition(routeId, a, to.label);
          if (to == CircuitBreaker.State.OPEN) {
            LOG.warn("upstream {} of route {}: circuit open for {} ms", a, routeId, config.openFor().toMillis());
          } else {
            LOG.info("upstream {} of route {}: circuit {}", a, routeId, to.label);
          }
        });
        metrics.upstreamCircuit(routeId, a, () -> breaker.state().gauge);
        readiness.inform("upstream:" + routeId + ":" + a, () -> breaker.state().label);
        return breaker;
      });
    }
    return out;
  }

  @Override
  public void dispatch(Exchange exchange) {
    boolean limited = maxInFlight != UpstreamConfig.UNLIMITED;
    if (limited && !enterInFlight()) {
      rejectedBusy.increment();
      exchange.respond(Problem.UPSTREAM_BUSY, HttpHeaderNames.RETRY_AFTER, BUSY_RETRY_AFTER);
      return;
    }
    LoopPools loop = pools.get(exchange.channel().eventLoop());
    UpstreamPool pool;
    CircuitBreaker breaker = null;
    CircuitBreaker.Phase admitted = null;
    if (breakers == null) {
      pool = loop.pools[loop.next()];
    } else {
      // Each target in turn from the cursor, passing over those whose breaker admits nothing now.
      pool = null;
      for (int tries = 0; tries < breakers.length && pool == null; tries++) {
        int index = loop.next();
        admitted = breakers[index].admit();
        if (admitted != null) {
          breaker = breakers[index];
          pool = loop.pools[index];
        }
      }
      if (pool == null) {
        if (limited) {
          leftInFlight();
        }
        rejectedOpen.increment();
        exchange.respond(Problem.UPSTREAM_UNAVAILABLE, HttpHeaderNames.RETRY_AFTER, Long.toString(secondsUntilAdmitting()));
        return;
      }
    }
    boolean websocket = exchange.isWebSocketUpgrade();
    Span call = callSpan(exchange, pool.target());
    HttpRequest upstreamHead;
    try {
      upstreamHead = upstreamHead(exchange, pool.target(), websocket, upstreamTrace(exchange, call));
    } catch (RuntimeException e) {
      // Nothing went upstream: the place and a probe's turn go back before the failure is answered.
      if (limited) {
        leftInFlight();
      }
      if (admitted != null) {
        breaker.abandoned(admitted);
      }
      if (call != null) {
        ChildSpans.failed(call, e);
        call.end();
      }
      throw e;
    }
    new ProxyCall(this, exchange, pool, upstreamHead, websocket, route.timeout().toMillis(), limited, breaker, admitted,
        call).start();
  }

  /** The call's client span, or null when the exchange's span is not recorded. */
  private Span callSpan(Exchange exchange, UpstreamTarget target) {
    String method = exchange.method().name();
    SpanBuilder span = spans.under(exchange, method);
    return span == null ? null : span.setSpanKind(SpanKind.CLIENT)
        .setAttribute(METHOD, method)
        .setAttribute(SERVER_ADDRESS, target.host())
        .setAttribute(SERVER_PORT, (long) target.port())
        .startSpan();
  }

  /** The trace as the upstream sees it: from the call's span when recorded, else from the exchange's own. */
  private static TraceContext upstreamTrace(Exchange exchange, Span call) {
    if (call == null) {
      return exchange.trace();
    }
    SpanContext context = call.getSpanContext();
    return exchange.trace().child(context.getSpanId(), context.isSampled());
  }

  /** The client's request head, edited in place for {@code target}. */
  private HttpRequest upstreamHead(Exchange exchange, UpstreamTarget target, boolean websocket, TraceContext trace) {
    HttpRequest head = exchange.head();
    String query = exchange.rawQuery();
    String path = exchange.match().upstreamPath();
    head.setUri(query == null ? target.basePath() + path : target.basePath() + path + "?" + query);
    head.setProtocolVersion(HttpVersion.HTTP_1_1);
    String host = route.preserveHost() && exchange.host() != null ? exchange.host() : target.hostHeader();
    boolean chunked = exchange.hasBody() && !head.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
    Principal principal = exchange.principal();
    String identity = identityTokens == null || principal == null ? null : identityTokens.apply(principal);
    headers.toUpstream(head.headers(), exchange, host, route.forwardCredentials(), websocket, chunked, identity,
        trace);
    // Without a body the head goes out as one whole message: one encoding, one write.
    return exchange.hasBody() ? head : new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
        head.method(), head.uri(), Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE);
  }

  /** Takes a place among {@code max_in_flight}, if one is free. */
  private boolean enterInFlight() {
    int now;
    do {
      now = inFlight.get();
      if (now >= maxInFlight) {
        return false;
      }
    } while (!inFlight.compareAndSet(now, now + 1));
    return true;
  }

  /** Gives a place among {@code max_in_flight} back: once per request that took one. */
  void leftInFlight() {
    inFlight.decrementAndGet();
  }

  /** For {@code Retry-After} when every target's breaker refuses: until the first admits again, at least 1 s. */
  private long secondsUntilAdmitting() {
    long millis = Long.MAX_VALUE;
    for (CircuitBreaker breaker : breakers) {
      millis = Math.min(millis, breaker.millisUntilAdmitting());
    }
    return Math.max(1, (millis + 999) / 1000);
  }

  ProxyHeaders headers() {
    return headers;
  }

  RequestMetrics metrics() {
    return metrics;
  }

  String routeId() {
    return route.id();
  }

  /** One event loop's pools for this route's targets and its round-robin cursor; confined to that loop. */
  private static final class LoopPools {
    final UpstreamPool[] pools;
    private int cursor;

    LoopPools(UpstreamPool[] pools) {
      this.pools = pools;
    }

    /** The index of the next target in turn. */
    int next() {
      int index = cursor;
      cursor = cursor + 1 == pools.length ? 0 : cursor + 1;
      return index;
    }
  }
}
