package io.gatehouse.gateway;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body of unknown length (chunked) counted as it streams upstream: past {@code max}
 * bytes the stream fails, which aborts the upstream request, and {@link #exceeded()} tells the
 * proxy to answer 413 instead of 502. Confined to the request's event loop.
 */
final class BodyLimitStream implements ReadStream<Buffer> {

  /** Thrown into the pipe; carries no stack trace since it is a verdict, not a bug. */
  static final class TooLarge extends RuntimeException {
    TooLarge() {
      super("request body too large", null, false, false);
    }
  }

  private final ReadStream<Buffer> source;
  private final long max;
  private long seen;
  private boolean exceeded;
  private Handler<Throwable> exceptionHandler;

  BodyLimitStream(ReadStream<Buffer> source, long max) {
    this.source = source;
    this.max = max;
  }

  boolean exceeded() {
    return exceeded;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    if (handler == null) {
      source.handler(null);
      return this;
    }
    source.handler(chunk -> {
      if (exceeded) {
        return;
      }
      seen += chunk.length();
      if (seen > max) {
        exceeded = true;
        source.pause();
        if (exceptionHandler != null) {
          exceptionHandler.handle(new TooLarge());
        }
        return;
      }
      handler.handle(chunk);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    if (!exceeded) {
      source.resume();
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    if (!exceeded) {
      source.fetch(amount);
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    source.endHandler(endHandler);
    return this;
  }
}
