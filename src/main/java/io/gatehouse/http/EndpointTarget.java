package io.gatehouse.http;

import io.vertx.core.Future;

/**
 * Answers a route with its built-in {@link Endpoint}: gathers the body whole (413 past the
 * endpoint's limit; already done before the guard when the endpoint reads it there), builds the
 * {@link Request}, runs the method's handler and sends what it answers, all on the exchange's
 * event loop.
 */
public final class EndpointTarget implements RouteTarget {

  private final Endpoint endpoint;

  public EndpointTarget(Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public void dispatch(Exchange exchange) {
    Endpoint.Handler handler = endpoint.handlers().get(exchange.method());
    if (handler == null) {
      exchange.respond(Problem.METHOD_NOT_ALLOWED);
      return;
    }
    exchange.wholeBody(endpoint.maxBodyBytes()).onComplete(body -> {
      if (body.failed()) {
        exchange.fail(body.cause());
        return;
      }
      Future<Response> answer;
      try {
        answer = handler.handle(new Request(exchange, body.result()));
      } catch (RuntimeException e) {
        exchange.fail(e);
        return;
      }
      answer.onComplete(result -> Pipeline.onLoop(exchange, () -> {
        if (result.succeeded()) {
          exchange.respond(result.result());
        } else {
          exchange.fail(result.cause());
        }
      }));
    });
  }
}
