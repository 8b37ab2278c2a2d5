package io.gatehouse.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a connection to an upstream: hands what the HTTP client codec decodes to
 * the {@link ProxyCall} the connection currently serves. An idle pooled connection that the
 * upstream closes, or that stays unused for the pool's idle time, leaves its pool.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnection.class);

  private Channel channel;
  private UpstreamPool pool;
  private ProxyCall call;
  private boolean detached;
  private ScheduledFuture<?> watchdog;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  void pool(UpstreamPool owner) {
    this.pool = owner;
  }

  Channel channel() {
    return channel;
  }

  /**
   * Serves {@code serving} until it releases the connection. The call's timeout is watched by
   * one timer per connection, which stays armed while requests follow each other on it, so a
   * proxied request schedules and cancels nothing.
   */
  void attach(ProxyCall serving, long timeoutNanos) {
    this.call = serving;
    if (watchdog == null) {
      watchdog = channel.eventLoop().schedule(() -> watch(timeoutNanos), timeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  void detachCall() {
    call = null;
  }

  private void watch(long timeoutNanos) {
    watchdog = null;
    ProxyCall serving = call;
    if (serving == null || !channel.isActive()) {
      return;
    }
    long quiet = System.nanoTime() - serving.lastActivity();
    if (quiet >= timeoutNanos) {
      serving.timedOut();
    } else {
      watchdog = channel.eventLoop().schedule(() -> watch(timeoutNanos), timeoutNanos - quiet, TimeUnit.NANOSECONDS);
    }
  }

  /** The call is over: the connection goes back to its pool, or is closed. */
  void release(boolean reusable) {
    call = null;
    channel.config().setAutoRead(true);
    pool.release(this, reusable);
  }

  /** The connection becomes a WebSocket tunnel and leaves its pool. */
  void detach() {
    if (!detached) {
      detached = true;
      call = null;
      pool.removed(this);
    }
  }

  boolean isUsable() {
    return channel.isActive() && call == null;
  }

  void close() {
    channel.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (call != null) {
      call.upstreamRead(msg);
    } else {
      // Bytes on an idle connection (an unsolicited response): it can no longer be trusted.
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (call != null) {
      call.upstreamReadComplete();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (call != null) {
      call.upstreamWritabilityChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (watchdog != null) {
      watchdog.cancel(false);
      watchdog = null;
    }
    if (!detached && pool != null) {
      detached = true;
      pool.removed(this);
    }
    ProxyCall serving = call;
    call = null;
    if (serving != null) {
      serving.upstreamClosed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent && call == null) {
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      LOG.debug("upstream connection failed: {}", cause.toString());
    }
    ctx.close();
  }
}
