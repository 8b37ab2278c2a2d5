package io.gatehouse.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.TimeUnit;

/**
 * Answers 408 when a request head trickles in: the clock starts at the first byte of a request
 * and stops when the head is parsed. A connection that sends nothing is left to the idle timeout
 * and closed silently, as keep-alive clients expect.
 *
 * <p>Vert.x offers only an idle timeout, which a client sending one byte at a time never trips,
 * and no request object exists until the head is complete, so this sits in the Netty pipeline in
 * front of the HTTP decoder (reached through Vert.x's internal connection type) and writes the
 * answer as raw bytes. Confined to the connection's event loop.
 */
public final class RequestHeadTimeout extends ChannelInboundHandlerAdapter {

  static final String NAME = "gatehouse-request-head-timeout";

  private final long timeoutMillis;
  private final ProblemRenderer renderer;
  private final boolean https;
  private ScheduledFuture<?> timer;
  private boolean inExchange;

  private RequestHeadTimeout(long timeoutMillis, ProblemRenderer renderer, boolean https) {
    this.timeoutMillis = timeoutMillis;
    this.renderer = renderer;
    this.https = https;
  }

  /** Installs the timeout on a new HTTP/1.x connection; call from the server's connection handler. */
  public static void install(HttpConnection connection, long timeoutMillis, ProblemRenderer renderer) {
    if (connection instanceof ConnectionBase base && base.channel().pipeline().get("httpDecoder") != null) {
      base.channel().pipeline().addBefore("httpDecoder", NAME,
          new RequestHeadTimeout(timeoutMillis, renderer, connection.isSsl()));
    }
  }

  /** The head of a request on {@code connection} was parsed: stop the clock until the exchange ends. */
  public static void headReceived(HttpConnection connection) {
    RequestHeadTimeout timeout = of(connection);
    if (timeout != null) {
      timeout.cancel();
      timeout.inExchange = true;
    }
  }

  /** The response was sent: the next byte starts the next request's clock. */
  public static void exchangeEnded(HttpConnection connection) {
    RequestHeadTimeout timeout = of(connection);
    if (timeout != null) {
      timeout.inExchange = false;
    }
  }

  private static RequestHeadTimeout of(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      Channel channel = base.channel();
      return (RequestHeadTimeout) channel.pipeline().get(NAME);
    }
    return null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!inExchange && timer == null && msg instanceof ByteBuf bytes && bytes.isReadable()) {
      timer = ctx.executor().schedule(() -> expire(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  private void expire(ChannelHandlerContext ctx) {
    timer = null;
    if (inExchange || !ctx.channel().isActive()) {
      return;
    }
    byte[] response = renderer.raw(Problem.REQUEST_TIMEOUT, RequestIds.generate(), https);
    ctx.writeAndFlush(Unpooled.wrappedBuffer(response)).addListener(ChannelFutureListener.CLOSE);
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
