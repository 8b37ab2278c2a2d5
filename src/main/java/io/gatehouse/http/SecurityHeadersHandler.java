package io.gatehouse.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Pipeline stage that has {@link SecurityHeaders} applied to the response just before its head is written, whoever writes it. */
public final class SecurityHeadersHandler implements Handler<RoutingContext> {

  private final SecurityHeaders headers;

  public SecurityHeadersHandler(SecurityHeaders headers) {
    this.headers = headers;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Exchange exchange = Exchange.of(ctx);
    ctx.addHeadersEndHandler(v -> headers.apply(ctx.response().headers(), exchange.requestId(),
        exchange.https(), exchange.startNanos()));
    ctx.next();
  }
}
