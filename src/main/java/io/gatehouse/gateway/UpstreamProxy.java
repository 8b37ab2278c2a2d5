package io.gatehouse.gateway;

import io.gatehouse.config.RouteConfig;
import io.gatehouse.config.UpstreamConfig;
import io.gatehouse.guard.Principal;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.RouteTarget;
import io.gatehouse.http.TrustedProxies;
import io.gatehouse.observability.RequestMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.EventExecutor;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Answers a route by forwarding to its upstream: targets in round robin, each with a keep-alive
 * {@link UpstreamPool} per event loop, so a request is proxied on the thread that read it. The
 * client's request head becomes the upstream's: request target rewritten (base path, prefix strip
 * or rewrite, query kept), headers edited in place by {@link ProxyHeaders}. A refused or reset
 * upstream gives 502; no connection within {@code connect_timeout}, or upstream silence for the
 * route's {@code timeout}, gives 504; both problem+json. WebSocket upgrades become a tunnel once
 * the upstream answers 101. Immutable after construction; shared by the event loops.
 */
public final class UpstreamProxy implements RouteTarget {

  private final RouteConfig route;
  private final ProxyHeaders headers;
  private final RequestMetrics metrics;
  private final Map<EventExecutor, LoopPools> pools;
  private final Function<Principal, String> identityTokens;

  /**
   * @param loops every event loop a request may arrive on
   * @param identityTokens the caller's {@code X-Gatehouse-Identity} token, or null when the route sends none
   */
  public UpstreamProxy(RouteConfig route, TrustedProxies trustedProxies, String sessionCookieName, RequestMetrics metrics,
      UpstreamConnector connector, Iterable<EventExecutor> loops, Function<Principal, String> identityTokens) {
    this.route = route;
    this.identityTokens = identityTokens;
    this.headers = new ProxyHeaders(trustedProxies, sessionCookieName);
    this.metrics = metrics;
    UpstreamConfig upstream = route.upstream();
    List<UpstreamTarget> targets = upstream.targets().stream().map(UpstreamTarget::of).toList();
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

  @Override
  public void dispatch(Exchange exchange) {
    UpstreamPool pool = pools.get(exchange.channel().eventLoop()).next();
    UpstreamTarget target = pool.target();
    HttpRequest head = exchange.head();
    String query = exchange.rawQuery();
    String path = exchange.match().upstreamPath();
    head.setUri(query == null ? target.basePath() + path : target.basePath() + path + "?" + query);
    head.setProtocolVersion(HttpVersion.HTTP_1_1);
    boolean websocket = exchange.isWebSocketUpgrade();
    String host = route.preserveHost() && exchange.host() != null ? exchange.host() : target.hostHeader();
    boolean chunked = exchange.hasBody() && !head.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
    Principal principal = exchange.principal();
    String identity = identityTokens == null || principal == null ? null : identityTokens.apply(principal);
    headers.toUpstream(head.headers(), exchange, host, route.forwardCredentials(), websocket, chunked, identity);
    // Without a body the head goes out as one whole message: one encoding, one write.
    HttpRequest upstreamHead = exchange.hasBody() ? head : new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
        head.method(), head.uri(), Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE);
    new ProxyCall(this, exchange, pool, upstreamHead, websocket, route.timeout().toMillis()).start();
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
    private final UpstreamPool[] pools;
    private int cursor;

    LoopPools(UpstreamPool[] pools) {
      this.pools = pools;
    }

    UpstreamPool next() {
      UpstreamPool pool = pools[cursor];
      cursor = cursor + 1 == pools.length ? 0 : cursor + 1;
      return pool;
    }
  }
}
