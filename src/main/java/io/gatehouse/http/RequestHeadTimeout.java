package io.gatehouse.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The request-head clock of an HTTP/1.1 connection: it starts at the first byte of a request and
 * stops when the decoder has the whole head, so a client that sends a head one byte at a time
 * (slowloris) gets 408 after {@code request_timeout} instead of holding the connection until the
 * idle timeout. A connection that sends nothing is left to the idle timeout and closed silently,
 * as keep-alive clients expect.
 *
 * <p>It sits in front of the HTTP decoder, where the bytes are; when the clock runs out it fires
 * {@link #EXPIRED} down the pipeline, and {@link ExchangeHandler} answers like any other request.
 * Confined to the connection's event loop.
 */
final class RequestHeadTimeout extends ChannelInboundHandlerAdapter {

  /** The user event fired when a head took too long. */
  static final Object EXPIRED = new Object() {
    @Override
    public String toString() {
      return "request head timed out";
    }
  };

  private final long timeoutMillis;
  private ChannelHandlerContext context;
  private ScheduledFuture<?> timer;
  private long firstByteNanos;
  private boolean inExchange;

  RequestHeadTimeout(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    context = ctx;
  }

  /** The head of a request was decoded: stop the clock until its exchange ends. */
  void headReceived() {
    cancel();
    firstByteNanos = 0;
    inExchange = true;
  }

  /** Whether some bytes of a request head have arrived, but not the whole head. */
  boolean headInProgress() {
    return !inExchange && firstByteNanos != 0;
  }

  /** The response was written: the next byte starts the next request's clock. */
  void exchangeEnded() {
    inExchange = false;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!inExchange && firstByteNanos == 0 && msg instanceof ByteBuf bytes && bytes.isReadable()) {
      firstByteNanos = System.nanoTime();
    }
    ctx.fireChannelRead(msg);
  }

  /**
   * Only a head still incomplete after a read needs a timer: most heads arrive in one read, and
   * are decoded before this runs, so the common request never schedules one.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!inExchange && firstByteNanos != 0 && timer == null) {
      long left = TimeUnit.MILLISECONDS.toNanos(timeoutMillis) - (System.nanoTime() - firstByteNanos);
      timer = ctx.executor().schedule(this::expire, Math.max(0, left), TimeUnit.NANOSECONDS);
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  private void expire() {
    timer = null;
    if (!inExchange && context.channel().isActive()) {
      context.fireUserEventTriggered(EXPIRED);
    }
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
