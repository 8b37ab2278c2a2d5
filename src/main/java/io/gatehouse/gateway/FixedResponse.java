package io.gatehouse.gateway;

import io.gatehouse.config.RespondConfig;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Answers a {@code respond:} route with its configured status, headers and body; a request body is read and discarded. */
final class FixedResponse implements Handler<RoutingContext> {

  private final RespondConfig config;
  private final Buffer body;

  FixedResponse(RespondConfig config) {
    this.config = config;
    this.body = Buffer.buffer(config.body());
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response().setStatusCode(config.status());
    config.headers().forEach(response::putHeader);
    ctx.request().resume();
    response.end(body);
  }
}
