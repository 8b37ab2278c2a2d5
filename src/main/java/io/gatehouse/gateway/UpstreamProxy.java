package io.gatehouse.gateway;

import io.gatehouse.config.RouteConfig;
import io.gatehouse.guard.Identity;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.observability.RequestMetrics;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * Forwards a route's requests to its {@link Upstream} with vertx-http-proxy's streaming
 * {@link ProxyRequest}/{@link ProxyResponse}: bodies flow both ways under back-pressure and are
 * never buffered whole. A refused or reset upstream gives 502, no answer within the route's
 * {@code timeout} (or no connection within {@code connect_timeout}) gives 504, both problem+json.
 * WebSocket upgrades are relayed as a byte tunnel once the upstream answers 101.
 */
final class UpstreamProxy implements Handler<RoutingContext> {

  private final RouteConfig route;
  private final Upstream upstream;
  private final ProxyHeaders proxyHeaders;
  private final long maxBodyBytes;
  private final RequestMetrics metrics;

  UpstreamProxy(RouteConfig route, Upstream upstream, ProxyHeaders proxyHeaders, long maxBodyBytes, RequestMetrics metrics) {
    this.route = route;
    this.upstream = upstream;
    this.proxyHeaders = proxyHeaders;
    this.maxBodyBytes = maxBodyBytes;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Exchange exchange = Exchange.of(ctx);
    Upstream.Target target = upstream.next();
    String query = request.query();
    String uri = target.basePath() + RoutingHandler.match(ctx).upstreamPath() + (query == null ? "" : "?" + query);
    RequestOptions options = requestOptions(request, target, uri);

    if (request.method() == HttpMethod.GET && request.canUpgradeToWebSocket()) {
      relayWebSocket(ctx, options, exchange);
      return;
    }

    ProxyRequest proxyRequest = ProxyRequest.reverseProxy(request).setURI(uri);
    MultiMap headers = proxyRequest.headers();
    proxyHeaders.toUpstream(headers, request, exchange);
    Identity.writeTo(ctx, headers);
    BodyLimitStream limited = null;
    // A body of declared length was checked against the limit up front; only a chunked one is counted as it streams.
    if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING) && !request.isEnded()) {
      limited = new BodyLimitStream(proxyRequest.getBody().stream(), maxBodyBytes);
      proxyRequest.setBody(Body.body(limited, -1, request.getHeader(HttpHeaders.CONTENT_TYPE)));
    }
    BodyLimitStream limit = limited;
    // Body bytes that arrive while a connection is found would have no reader yet: hold them
    // until the proxy's pipe takes over (it resumes the stream; release() does on failure).
    request.pause();
    long sent = System.nanoTime();
    upstream.client().request(options)
        .compose(upstreamRequest -> proxyRequest.send(quiet(upstreamRequest)))
        .onComplete(result -> {
          if (result.failed()) {
            proxyRequest.release();
            fail(ctx, result.cause(), limit != null && limit.exceeded());
            return;
          }
          exchange.upstreamNanos(System.nanoTime() - sent);
          ProxyResponse response = result.result();
          proxyHeaders.fromUpstream(response.headers());
          response.send();
        });
  }

  /**
   * Every failure of an upstream request (reset, timeout, closed connection) also fails its
   * response future, where it is mapped to 502/504/413 and counted; without a handler Vert.x
   * would log each one again as an unhandled error.
   */
  private static HttpClientRequest quiet(HttpClientRequest upstreamRequest) {
    return upstreamRequest.exceptionHandler(failureSeenThroughTheResponse -> { });
  }

  private RequestOptions requestOptions(HttpServerRequest request, Upstream.Target target, String uri) {
    RequestOptions options = new RequestOptions()
        .setServer(target.address())
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.ssl())
        .setMethod(request.method())
        .setURI(uri)
        .setConnectTimeout(upstream.config().connectTimeout().toMillis())
        .setIdleTimeout(route.timeout().toMillis());
    if (route.preserveHost() && request.authority() != null) {
      options.setHost(request.authority().host());
      options.setPort(request.authority().port() > 0 ? request.authority().port() : target.port());
    }
    return options;
  }

  private void fail(RoutingContext ctx, Throwable cause, boolean bodyTooLarge) {
    if (bodyTooLarge) {
      ctx.fail(new ProblemException(Problem.PAYLOAD_TOO_LARGE));
      return;
    }
    if (ctx.response().closed()) {
      return;
    }
    boolean timeout = cause instanceof TimeoutException || cause instanceof ConnectTimeoutException;
    String kind = timeout ? "timeout" : cause instanceof ConnectException ? "connect" : "reset";
    metrics.upstreamError(route.id(), kind);
    ctx.fail(new ProblemException(timeout ? Problem.GATEWAY_TIMEOUT : Problem.BAD_GATEWAY));
  }

  /** RFC 6455 §4.1 through a proxy: forward the handshake, and on 101 splice the two connections. */
  private void relayWebSocket(RoutingContext ctx, RequestOptions options, Exchange exchange) {
    HttpServerRequest request = ctx.request();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
    proxyHeaders.toUpstream(headers, request, exchange);
    Identity.writeTo(ctx, headers);
    headers.remove(HttpHeaders.HOST);
    headers.set(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE);
    headers.set(HttpHeaders.UPGRADE, "websocket");
    long sent = System.nanoTime();
    upstream.client().request(options)
        .compose(upstreamRequest -> {
          quiet(upstreamRequest).headers().addAll(headers);
          return upstreamRequest.connect();
        })
        .onComplete(result -> {
          if (result.failed()) {
            fail(ctx, result.cause(), false);
            return;
          }
          exchange.upstreamNanos(System.nanoTime() - sent);
          HttpClientResponse upstreamResponse = result.result();
          HttpServerResponse response = ctx.response();
          MultiMap responseHeaders = MultiMap.caseInsensitiveMultiMap().addAll(upstreamResponse.headers());
          if (upstreamResponse.statusCode() != 101) {
            proxyHeaders.fromUpstream(responseHeaders);
            response.setStatusCode(upstreamResponse.statusCode()).headers().addAll(responseHeaders);
            request.resume();
            upstreamResponse.netSocket().close();
            response.end();
            return;
          }
          response.setStatusCode(101).headers().addAll(responseHeaders);
          request.toNetSocket().onComplete(client -> {
            NetSocket upstreamSocket = upstreamResponse.netSocket();
            if (client.failed()) {
              upstreamSocket.close();
              return;
            }
            splice(client.result(), upstreamSocket);
          });
        });
  }

  private static void splice(NetSocket a, NetSocket b) {
    a.pipeTo(b);
    b.pipeTo(a);
  }

}
