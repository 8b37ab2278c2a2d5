package io.gatehouse.gateway;

import io.gatehouse.http.server.TlsContexts;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Opens connections to upstreams on the runtime's transport and event loops, resolving names
 * without blocking (Vert.x's resolver): the HTTP/1.1 client codec, TLS with host name
 * verification for {@code https} targets, and an idle timer that retires pooled connections
 * nobody used for {@link #POOL_IDLE_SECONDS}. Thread-safe.
 */
public final class UpstreamConnector {

  /** An upstream closes idle keep-alive connections on its own schedule; ours is a ceiling. */
  static final int POOL_IDLE_SECONDS = 30;
  /** Upstream status lines and headers may be longer than what clients may send us. */
  private static final int MAX_RESPONSE_LINE = 16 * 1024;
  private static final int MAX_RESPONSE_HEADERS = 64 * 1024;

  private final VertxInternal vertx;
  private volatile SslContext tls;

  public UpstreamConnector(VertxInternal vertx) {
    this.vertx = vertx;
  }

  Bootstrap bootstrap(EventLoop loop, UpstreamTarget target, long connectTimeoutMillis) {
    SslContext context = target.tls() ? tls() : null;
    return new Bootstrap()
        .group(loop)
        .channelFactory(vertx.transport().channelFactory(false))
        .resolver(vertx.nameResolver().nettyAddressResolverGroup())
        .remoteAddress(InetSocketAddress.createUnresolved(target.host(), target.port()))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis))
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            ChannelPipeline p = channel.pipeline();
            if (context != null) {
              p.addLast("tls", context.newHandler(channel.alloc(), target.host(), target.port()));
            }
            p.addLast("idle", new IdleStateHandler(POOL_IDLE_SECONDS, 0, 0, TimeUnit.SECONDS));
            p.addLast("upstream-http", new HttpClientCodec(decoderConfig(), false, false));
            p.addLast("upstream", new UpstreamConnection());
          }
        });
  }

  /** How upstream responses are decoded; the proxy benchmark decodes with the same. */
  static HttpDecoderConfig decoderConfig() {
    return new HttpDecoderConfig()
        .setMaxInitialLineLength(MAX_RESPONSE_LINE)
        .setMaxHeaderSize(MAX_RESPONSE_HEADERS)
        .setMaxChunkSize(64 * 1024)
        .setValidateHeaders(true);
  }

  private SslContext tls() {
    SslContext context = tls;
    if (context == null) {
      synchronized (this) {
        if (tls == null) {
          tls = TlsContexts.client();
        }
        context = tls;
      }
    }
    return context;
  }
}
