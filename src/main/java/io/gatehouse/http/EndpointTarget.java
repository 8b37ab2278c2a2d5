package io.gatehouse.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Answers a route with its built-in {@link Endpoint}: reads the body whole (413 past the
 * endpoint's limit), builds the {@link Request}, runs the method's handler and sends what it
 * answers, all on the exchange's event loop.
 */
public final class EndpointTarget implements RouteTarget {

  private static final byte[] NO_BODY = new byte[0];

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
    exchange.receiveBody(new Collector(exchange, handler, endpoint.maxBodyBytes()));
  }

  /** Gathers the body into one array, then hands the request to the handler. */
  private static final class Collector implements BodySink {
    private final Exchange exchange;
    private final Endpoint.Handler handler;
    private final int max;
    private byte[] bytes = NO_BODY;
    private int length;
    private boolean done;

    Collector(Exchange exchange, Endpoint.Handler handler, int max) {
      this.exchange = exchange;
      this.handler = handler;
      this.max = max;
    }

    @Override
    public void content(HttpContent content) {
      append(content.content());
      content.release();
    }

    @Override
    public void end(LastHttpContent last) {
      append(last.content());
      last.release();
      if (done) {
        return;
      }
      done = true;
      byte[] body = length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length);
      Request request = new Request(exchange, body);
      io.vertx.core.Future<Response> answer;
      try {
        answer = handler.handle(request);
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
    }

    private void append(ByteBuf chunk) {
      int n = chunk.readableBytes();
      if (done || n == 0) {
        return;
      }
      if (length + n > max) {
        done = true;
        exchange.respond(Problem.PAYLOAD_TOO_LARGE);
        return;
      }
      if (length + n > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.min(max, Math.max(length + n, bytes.length * 2 + 256)));
      }
      chunk.getBytes(chunk.readerIndex(), bytes, length, n);
      length += n;
    }

    @Override
    public void failed(Problem problem) {
      done = true;
      if (problem != null) {
        exchange.respond(problem);
      }
    }
  }
}
