package io.gatehouse.http.server;

import io.gatehouse.http.GoingAway;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends an HTTP/2 connection gracefully when its listener goes away, as RFC 9113 §6.8 advises: "A
 * server that is attempting to gracefully shut down a connection SHOULD send an initial GOAWAY
 * frame with the last stream identifier set to 2^31-1 and a NO_ERROR code [...] After allowing
 * time for any in-flight stream creation (at least one round-trip time), the server MAY send
 * another GOAWAY frame with an updated last stream identifier." The round trip is measured with a
 * PING, waited for {@link #ROUND_TRIP_MILLIS} at most; then the second GOAWAY names the last stream
 * opened, and the connection closes once the streams up to it are done (Netty's graceful close).
 * A connection whose protocol was chosen after the listener began going away starts at once.
 * Confined to the connection's event loop.
 */
final class Http2GoAway extends ChannelInboundHandlerAdapter {

  /** The longest wait for the PING's answer before the last stream is named. */
  static final long ROUND_TRIP_MILLIS = 1_000;
  private static final long PING_DATA = 0x676f696e67617779L; // "goingawy"

  private final GoingAway goingAway;
  private ScheduledFuture<?> roundTrip;
  private boolean started;
  private boolean finished;

  Http2GoAway(GoingAway goingAway) {
    this.goingAway = goingAway;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (goingAway.announced() && ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof GoingAway) {
      start(ctx);
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (started && msg instanceof Http2PingFrame ping && ping.ack() && ping.content() == PING_DATA) {
      finish(ctx);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private void start(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    // 2^31-1: the frame codec adds the extra ids to the last stream opened, capped there.
    ctx.write(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR).setExtraStreamIds(Integer.MAX_VALUE));
    ctx.writeAndFlush(new DefaultHttp2PingFrame(PING_DATA));
    roundTrip = ctx.executor().schedule(() -> finish(ctx), ROUND_TRIP_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void finish(ChannelHandlerContext ctx) {
    if (finished) {
      return;
    }
    finished = true;
    roundTrip.cancel(false);
    ctx.write(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
    ctx.channel().close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (roundTrip != null) {
      roundTrip.cancel(false);
    }
    ctx.fireChannelInactive();
  }
}
