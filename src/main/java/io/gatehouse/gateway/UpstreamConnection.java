package io.gatehouse.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
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

  void attach(ProxyCall serving) {
    this.call = serving;
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
