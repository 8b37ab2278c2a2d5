package io.gatehouse.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * A WebSocket connection after its handshake: the bytes of the client and the upstream
 * connections relayed both ways as they are, under back-pressure, until either side closes. Both
 * channels live on one event loop. Frames are not inspected: the upstream speaks RFC 6455 with
 * the client directly.
 */
final class Tunnel extends ChannelInboundHandlerAdapter {

  private final Channel peer;

  private Tunnel(Channel peer) {
    this.peer = peer;
  }

  /**
   * Replaces the HTTP handlers of both connections with a tunnel. Bytes either HTTP decoder
   * already holds are passed on to the tunnel when the decoder is removed.
   */
  static void splice(Channel client, Channel upstream) {
    ChannelPipeline c = client.pipeline();
    c.addLast("tunnel", new Tunnel(upstream));
    removeIfPresent(c, "exchange");
    removeIfPresent(c, "head-timeout");
    removeIfPresent(c, "http");
    ChannelPipeline u = upstream.pipeline();
    u.addLast("tunnel", new Tunnel(client));
    removeIfPresent(u, "upstream");
    removeIfPresent(u, "upstream-http");
    client.config().setAutoRead(true);
    upstream.config().setAutoRead(true);
  }

  private static void removeIfPresent(ChannelPipeline pipeline, String name) {
    ChannelHandler handler = pipeline.get(name);
    if (handler != null) {
      pipeline.remove(handler);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf bytes)) {
      ReferenceCountUtil.release(msg); // the HTTP decoder's end marker of the 101
      return;
    }
    peer.write(bytes);
    if (!peer.isWritable()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    peer.flush();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      peer.config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (peer.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
