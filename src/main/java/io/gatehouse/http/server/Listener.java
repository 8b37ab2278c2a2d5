package io.gatehouse.http.server;

import io.gatehouse.config.LimitsConfig;
import io.gatehouse.http.Connection;
import io.gatehouse.http.ExchangeHandler;
import io.gatehouse.http.GoingAway;
import io.gatehouse.http.Pipeline;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening socket on Netty, on the event loops and transport of the Vert.x runtime: HTTP/1.1
 * through {@link HttpServerCodec}, and with TLS also HTTP/2 (ALPN {@code h2}) through Netty's
 * frame codec and multiplexer, each stream mapped to the same {@code HttpObject}s and the same
 * {@link Pipeline}. HTTP/2 is bounded: {@code max_concurrent_streams} per connection, headers up
 * to {@code max_header_bytes}, and Netty's limits on reset floods (CVE-2023-44487), empty DATA
 * frames and CONTINUATION floods. It keeps count of its open connections, so that a drain can
 * end each the way its protocol allows and know when the last one closed.
 */
public final class Listener {

  private static final Logger LOG = LoggerFactory.getLogger(Listener.class);
  /** Resets a client may cause per window before the connection is closed with ENHANCE_YOUR_CALM. */
  static final int MAX_RESETS_PER_WINDOW = 200;
  static final int RESET_WINDOW_SECONDS = 30;

  private final Channel server;
  private final GoingAway goingAway;
  private final OpenConnections connections;

  private Listener(Channel server, GoingAway goingAway, OpenConnections connections) {
    this.server = server;
    this.goingAway = goingAway;
    this.connections = connections;
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one).
   *
   * @param tls the TLS context of each new connection, asked as it is accepted (a reload or a renewed
   *     certificate swaps it; open connections keep theirs), or null for plain HTTP/1.1
   * @param pipeline the pipeline of each new request, asked as it begins (a reload swaps it)
   * @param connections the count of open connections per address this listener shares, or null for no limit
   */
  public static Future<Listener> bind(VertxInternal vertx, String host, int port, Supplier<SslContext> tls,
      Supplier<Pipeline> pipeline, LimitsConfig limits, ConnectionsPerAddress connections) {
    Promise<Listener> bound = Promise.promise();
    GoingAway goingAway = new GoingAway();
    OpenConnections open = new OpenConnections();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(vertx.acceptorEventLoopGroup(), vertx.nettyEventLoopGroup())
        .channelFactory(vertx.transport().serverChannelFactory(false))
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // Measured: the pooled allocator with per-thread caches costs a proxied request several
        // microseconds less than Netty 4.2's default adaptive one (bench/README.md).
        .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
        .childHandler(new ConnectionInitializer(tls, pipeline, limits, connections, goingAway, open));
    ChannelFuture binding = bootstrap.bind(new InetSocketAddress(host, port));
    binding.addListener(done -> {
      if (done.isSuccess()) {
        bound.complete(new Listener(binding.channel(), goingAway, open));
      } else {
        bound.fail(new IllegalStateException("cannot listen on " + host + ":" + port + ": " + done.cause().getMessage(),
            done.cause()));
      }
    });
    return bound.future();
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Stops accepting; open connections end with the event loops. */
  public Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    server.close().addListener(done -> closed.complete());
    return closed.future();
  }

  /**
   * Stops accepting and asks every open connection to end after what it is doing: an HTTP/1.1
   * connection after its current response (which says {@code Connection: close}; an idle one at
   * once), an HTTP/2 connection with GOAWAY, a WebSocket tunnel with a Close (1001). A response
   * written from now on, on a connection accepted a moment before, says {@code Connection: close}
   * too.
   *
   * @return completes when the last connection has closed (it never fails)
   */
  public Future<Void> drain() {
    goingAway.announce();
    Promise<Void> drained = Promise.promise();
    server.close().addListener(stopped -> {
      // Fired from outside the loops: each pipeline runs it on its own connection's event loop.
      connections.forEach(channel -> channel.pipeline().fireUserEventTriggered(goingAway));
      connections.allClosed().onComplete(drained);
    });
    return drained.future();
  }

  /** Connections accepted and not yet closed. */
  public int openConnections() {
    return connections.size();
  }

  /** Builds each accepted connection's channel pipeline. */
  private static final class ConnectionInitializer extends ChannelInitializer<Channel> {
    private final Supplier<SslContext> tls;
    private final Supplier<Pipeline> pipeline;
    private final LimitsConfig limits;
    private final ConnectionsPerAddress connections;
    private final GoingAway goingAway;
    private final OpenConnections open;

    ConnectionInitializer(Supplier<SslContext> tls, Supplier<Pipeline> pipeline, LimitsConfig limits,
        ConnectionsPerAddress connections, GoingAway goingAway, OpenConnections open) {
      this.tls = tls;
      this.pipeline = pipeline;
      this.limits = limits;
      this.connections = connections;
      this.goingAway = goingAway;
      this.open = open;
    }

    @Override
    protected void initChannel(Channel channel) {
      open.add(channel);
      if (connections != null && !connections.admit(channel)) {
        channel.close();
        return;
      }
      ChannelPipeline p = channel.pipeline();
      // Reader idleness is enough: a connection with a request in progress is never closed for it,
      // and watching writes too would hook a listener onto every write.
      p.addLast("idle", new IdleStateHandler(limits.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
      if (tls == null) {
        http1(channel, null);
        return;
      }
      SslHandler ssl = tls.get().newHandler(channel.alloc());
      ssl.setHandshakeTimeoutMillis(limits.requestTimeout().toMillis());
      p.addFirst("tls", ssl);
      p.addLast("alpn", new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
          if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            http2(ctx.channel(), ssl);
          } else {
            http1(ctx.channel(), ssl);
          }
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
          LOG.debug("TLS handshake failed: {}", cause.toString());
          ctx.close();
        }
      });
    }

    private void http1(Channel channel, SslHandler ssl) {
      ExchangeHandler.addHttp1(channel.pipeline(), pipeline, limits, new Connection(channel, ssl, false, goingAway));
    }

    private void http2(Channel channel, SslHandler ssl) {
      Connection connection = new Connection(channel, ssl, true, goingAway);
      Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
          // Streams in progress when the connection closes (GOAWAY) may finish: the drain's timeout bounds them.
          .gracefulShutdownTimeoutMillis(-1)
          .initialSettings(Http2Settings.defaultSettings()
              .maxConcurrentStreams(limits.maxConcurrentStreams())
              .maxHeaderListSize(limits.maxHeaderBytes()))
          .validateHeaders(true)
          .decoderEnforceMaxRstFramesPerWindow(MAX_RESETS_PER_WINDOW, RESET_WINDOW_SECONDS)
          .build();
      channel.pipeline()
          .addLast("h2", codec)
          .addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
              stream.pipeline()
                  .addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true, true))
                  .addLast("exchange", ExchangeHandler.http2Stream(pipeline, connection));
            }
          }))
          .addLast("h2-idle", new Http2IdleCloser(codec))
          .addLast("h2-goaway", new Http2GoAway(goingAway));
    }
  }

  /** Closes an idle HTTP/2 connection (no bytes for {@code idle_timeout}) that has no stream open. */
  private static final class Http2IdleCloser extends io.netty.channel.ChannelInboundHandlerAdapter {
    private final Http2FrameCodec codec;

    Http2IdleCloser(Http2FrameCodec codec) {
      this.codec = codec;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof IdleStateEvent) {
        if (codec.connection().numActiveStreams() == 0) {
          ctx.close();
        }
        return;
      }
      ctx.fireUserEventTriggered(event);
    }
  }
}
