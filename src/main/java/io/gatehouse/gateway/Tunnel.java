package io.gatehouse.gateway;

import io.gatehouse.http.GoingAway;
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
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * A WebSocket connection after its handshake: the bytes of the client and the upstream
 * connections relayed both ways as they are, under back-pressure, until either side closes. Both
 * channels live on one event loop. Payloads are not inspected: the upstream speaks RFC 6455 with
 * the client directly; only frame headers are followed ({@link WebSocketFrames}), so that when the
 * listener goes away the tunnel can end the way RFC 6455 §7.4.1 provides for, with a Close of
 * status 1001 ("going away") to both sides, each put between two of that direction's frames.
 * After its Close a side is sent nothing more (§5.5.1), and what it still sends is dropped; the
 * client's connection closes when its answering Close arrives (the server closes first, §7.1.1),
 * or when the upstream's does.
 */
final class Tunnel extends ChannelInboundHandlerAdapter {

  /** RFC 6455 §7.4.1. */
  static final int GOING_AWAY = 1001;
  private static final byte[] REASON = "shutting down".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom MASKS = new SecureRandom();

  private final Channel peer;
  /** Whether this side is the client: its frames are masked, and the Close sent on its behalf must be too. */
  private final boolean fromClient;
  private final WebSocketFrames frames = new WebSocketFrames();
  private Channel channel;
  private boolean closePending;
  private boolean closeSent;

  private Tunnel(Channel peer, boolean fromClient) {
    this.peer = peer;
    this.fromClient = fromClient;
  }

  /**
   * Replaces the HTTP handlers of both connections with a tunnel. Bytes either HTTP decoder
   * already holds are passed on to the tunnel when the decoder is removed.
   *
   * @param goingAway whether the client's listener is already going away: the tunnel then ends at once
   */
  static void splice(Channel client, Channel upstream, boolean goingAway) {
    ChannelPipeline c = client.pipeline();
    Tunnel fromClient = new Tunnel(upstream, true);
    c.addLast("tunnel", fromClient);
    removeIfPresent(c, "exchange");
    removeIfPresent(c, "head-timeout");
    removeIfPresent(c, "http");
    ChannelPipeline u = upstream.pipeline();
    Tunnel toClient = new Tunnel(client, false);
    u.addLast("tunnel", toClient);
    removeIfPresent(u, "upstream");
    removeIfPresent(u, "upstream-http");
    client.config().setAutoRead(true);
    upstream.config().setAutoRead(true);
    if (goingAway) {
      fromClient.goAway();
      toClient.goAway();
    }
  }

  private static void removeIfPresent(ChannelPipeline pipeline, String name) {
    ChannelHandler handler = pipeline.get(name);
    if (handler != null) {
      pipeline.remove(handler);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf bytes)) {
      ReferenceCountUtil.release(msg); // the HTTP decoder's end marker of the 101
      return;
    }
    if (closeSent) {
      dropAfterClose(ctx, bytes);
      return;
    }
    if (closePending) {
      int upToBoundary = frames.follow(bytes, true);
      if (frames.atBoundary()) {
        if (upToBoundary > 0) {
          peer.write(bytes.readRetainedSlice(upToBoundary));
        }
        sendClose();
        dropAfterClose(ctx, bytes);
        return;
      }
    } else {
      frames.follow(bytes, false);
    }
    peer.write(bytes);
    if (!peer.isWritable()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  /** What a side sends after its peer was sent our Close; its own Close ends the client's connection. */
  private void dropAfterClose(ChannelHandlerContext ctx, ByteBuf bytes) {
    frames.follow(bytes, false);
    bytes.release();
    if (fromClient && frames.closeSeen()) {
      ctx.close();
    }
  }

  /**
   * The listener is going away: a Close (1001) goes to the peer at this direction's next frame
   * boundary, now if the bytes relayed so far end at one.
   */
  private void goAway() {
    if (closePending || closeSent) {
      return;
    }
    closePending = true;
    if (frames.atBoundary()) {
      sendClose();
    }
  }

  private void sendClose() {
    closePending = false;
    closeSent = true;
    peer.writeAndFlush(closeFrame(fromClient));
    // What this side sends from now on is dropped, so it need not wait for the peer's window: its
    // answering Close must be read even if the peer reads nothing more.
    channel.config().setAutoRead(true);
  }

  /**
   * A Close frame with status 1001 (RFC 6455 §5.5.1); masked when it goes to the upstream on the
   * client's behalf, since frames from a client must be (§5.3).
   */
  static ByteBuf closeFrame(boolean masked) {
    int length = 2 + REASON.length;
    byte[] payload = new byte[length];
    payload[0] = (byte) (GOING_AWAY >> 8);
    payload[1] = (byte) GOING_AWAY;
    System.arraycopy(REASON, 0, payload, 2, REASON.length);
    ByteBuf frame = Unpooled.buffer(2 + (masked ? 4 : 0) + length);
    frame.writeByte(0x80 | 0x8); // FIN, opcode Close
    if (!masked) {
      frame.writeByte(length);
      return frame.writeBytes(payload);
    }
    byte[] mask = new byte[4];
    MASKS.nextBytes(mask);
    frame.writeByte(0x80 | length).writeBytes(mask);
    for (int i = 0; i < length; i++) {
      frame.writeByte(payload[i] ^ mask[i & 3]);
    }
    return frame;
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
    if (event instanceof GoingAway) {
      // Fired on the client's connection only: its tunnel ends both directions.
      goAway();
      Tunnel other = peer.pipeline().get(Tunnel.class);
      if (other != null) {
        other.goAway();
      }
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
