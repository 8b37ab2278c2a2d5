package io.gatehouse.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * First stage of the pipeline: gives the request its id and its {@link Exchange}, stops the
 * request-head clock of {@link RequestHeadTimeout} until the response ends, and honours a
 * {@code close} connection option that Vert.x misses when other options share the header.
 */
public final class RequestIdHandler implements Handler<RoutingContext> {

  public static final String HEADER = "X-Request-Id";

  private final TrustedProxies trustedProxies;

  public RequestIdHandler(TrustedProxies trustedProxies) {
    this.trustedProxies = trustedProxies;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    // Hold the body until a stage wants it: the guard may look up a credential asynchronously,
    // and a body that flowed meanwhile would be lost to the proxy or endpoint. Whoever answers
    // resumes it (the proxy's pipe, a body reader, the problem renderer); once a response head
    // is out, anything left is drained so the connection can carry the next request.
    request.pause();
    ctx.addHeadersEndHandler(done -> request.resume());
    RequestHeadTimeout.headReceived(request.connection());
    ctx.addEndHandler(done -> RequestHeadTimeout.exchangeEnded(request.connection()));
    if (asksToClose(request.getHeader(HttpHeaders.CONNECTION))) {
      // RFC 9112 §9.6: after the final response to a request with "close", the server MUST close.
      ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      ctx.addEndHandler(done -> request.connection().close());
    }
    String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    ctx.put(Exchange.KEY, new Exchange(
        RequestIds.accept(request.getHeader(HEADER)),
        System.nanoTime(),
        request.isSSL(),
        trustedProxies.clientAddress(peer, request.getHeader("X-Forwarded-For"))));
    ctx.next();
  }

  /** A {@code close} token among others ({@code close, X-Foo}); Vert.x itself handles the header that is exactly {@code close}. */
  static boolean asksToClose(String connection) {
    if (connection == null || connection.indexOf(',') < 0) {
      return false;
    }
    for (String token : connection.split(",")) {
      if (token.trim().equalsIgnoreCase("close")) {
        return true;
      }
    }
    return false;
  }
}
