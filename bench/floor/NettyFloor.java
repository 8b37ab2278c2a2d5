import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The floor of the stack Gatehouse's data plane is built on: a bare Netty 4.2 reverse proxy with
 * the same codecs, transport, allocator and per-event-loop keep-alive pools, and nothing else (no
 * pipeline, no header rules, no log, no metrics). bench/floor.sh runs it beside nginx and Gatehouse.
 *
 *   java -cp target/gatehouse.jar:bench/floor NettyFloor PORT UPSTREAM_PORT
 */
public final class NettyFloor {

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int upstreamPort = Integer.parseInt(args[1]);
    MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    FastThreadLocal<ArrayDeque<Channel>> pools = new FastThreadLocal<>() {
      @Override
      protected ArrayDeque<Channel> initialValue() {
        return new ArrayDeque<>();
      }
    };
    new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel client) {
            client.pipeline().addLast(new HttpServerCodec(), new ChannelInboundHandlerAdapter() {
              Channel upstream;
              io.netty.channel.ChannelFuture connecting;

              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest request) {
                  request.headers().set(HttpHeaderNames.HOST, "127.0.0.1:" + upstreamPort);
                  upstream = pools.get().pollLast();
                  connecting = null;
                  if (upstream == null || !upstream.isActive()) {
                    connecting = connect(ctx.channel().eventLoop(), upstreamPort);
                    upstream = connecting.channel();
                  }
                  upstream.attr(Relay.CLIENT).set(ctx.channel());
                }
                Channel target = upstream;
                if (connecting != null && !connecting.isDone()) {
                  connecting.addListener(done -> forward(target, msg));
                } else {
                  forward(target, msg);
                }
              }

              private void forward(Channel target, Object msg) {
                target.write(msg, target.voidPromise());
                if (msg instanceof LastHttpContent) {
                  target.flush();
                }
              }
            });
          }
        }).bind(new InetSocketAddress("127.0.0.1", port)).sync();
    Relay.pools = pools;
  }

  static io.netty.channel.ChannelFuture connect(EventLoop loop, int upstreamPort) {
    return new Bootstrap().group(loop).channel(EpollSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel upstream) {
            upstream.pipeline().addLast(new HttpClientCodec(), new Relay());
          }
        }).connect("127.0.0.1", upstreamPort);
  }

  /** Writes the upstream's response to the client, and pools the connection after its last part. */
  static final class Relay extends ChannelInboundHandlerAdapter {
    static final io.netty.util.AttributeKey<Channel> CLIENT = io.netty.util.AttributeKey.valueOf("client");
    static FastThreadLocal<ArrayDeque<Channel>> pools;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Channel client = ctx.channel().attr(CLIENT).get();
      if (msg instanceof HttpResponse || msg instanceof HttpContent) {
        client.write(msg, client.voidPromise());
      }
      if (msg instanceof LastHttpContent) {
        client.flush();
        pools.get().addLast(ctx.channel());
      }
      if (!(msg instanceof HttpObject)) {
        io.netty.util.ReferenceCountUtil.release(msg);
      }
    }
  }
}
