package io.gatehouse.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * First stage of the pipeline: gives the request its id and its {@link Exchange}, and stops the
 * request-head clock of {@link RequestHeadTimeout} until the response ends.
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
    RequestHeadTimeout.headReceived(request.connection());
    ctx.addEndHandler(done -> RequestHeadTimeout.exchangeEnded(request.connection()));
    String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    ctx.put(Exchange.KEY, new Exchange(
        RequestIds.accept(request.getHeader(HEADER)),
        System.nanoTime(),
        request.isSSL(),
        trustedProxies.clientAddress(peer, request.getHeader("X-Forwarded-For"))));
    ctx.next();
  }
}
