package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.http.server.SelfSignedCertificate;
import io.gatehouse.http.server.TlsContexts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The listener's TLS policy under both implementations Gatehouse may run on (BoringSSL when it
 * loads, the JDK otherwise), asked of a real TLS client (OpenSSL's s_client): TLS 1.2 and 1.3
 * only, TLS 1.2 with ECDHE key exchange and AEAD ciphers only, and no client-initiated
 * renegotiation. The server under test is the listener's context on a bare echo server.
 */
class TlsProvidersIT {

  @TempDir
  static Path data;

  private static Channel echoServer(SslContext context, MultiThreadIoEventLoopGroup group) {
    return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            channel.pipeline().addLast(context.newHandler(channel.alloc()), new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.writeAndFlush(((ByteBuf) msg).retainedDuplicate());
                ((ByteBuf) msg).release();
              }
            });
          }
        }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
  }

  /** Runs s_client with {@code args}, types {@code input} (lines, half a second apart), returns everything it printed. */
  private static String sClient(int port, String input, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      for (String line : input.isEmpty() ? new String[0] : input.split("\n", -1)) {
        if (!line.isEmpty()) {
          process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
          process.getOutputStream().flush();
        }
        // Real time: s_client shows no sign of having done its handshake or read a line; half a second each.
        Thread.sleep(500);
      }
      process.getOutputStream().close();
    } catch (java.io.IOException e) {
      // s_client already ended (the server closed the connection): what it printed is the answer
    }
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
  void onlyModernProtocolsAndSuitesAndNoRenegotiation(SslProvider provider) throws Exception {
    Assumptions.assumeTrue(provider != SslProvider.OPENSSL || OpenSsl.isAvailable() || System.getenv("GATEHOUSE_REQUIRE_SERVICES") == null,
        "BoringSSL does not load here");
    SelfSignedCertificate.Files pem = SelfSignedCertificate.ensure(data);
    SslContext context = TlsContexts.server(pem.cert(), pem.key(), null, false, provider);
    MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      int port = ((InetSocketAddress) echoServer(context, group).localAddress()).getPort();
      assertThat(sClient(port, "", "-tls1_3")).contains("TLSv1.3");
      assertThat(sClient(port, "", "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"))
          .contains("Cipher is ECDHE-ECDSA-AES128-GCM-SHA256");
      assertThat(sClient(port, "", "-tls1_2", "-cipher", "ECDHE-ECDSA-CHACHA20-POLY1305"))
          .contains("Cipher is ECDHE-ECDSA-CHACHA20-POLY1305");
      for (String weak : new String[] {"ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384", "AES128-GCM-SHA256", "AES256-SHA"}) {
        assertThat(sClient(port, "", "-tls1_2", "-cipher", weak)).as(weak).contains("Cipher is (NONE)");
      }
      assertThat(sClient(port, "", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0")).contains("Cipher is (NONE)");
      String echoed = sClient(port, "hello\n\n", "-tls1_2", "-quiet", "-no_ign_eof");
      assertThat(echoed).as("the echo server answers").contains("hello");
      // "R" asks s_client to renegotiate; a refused renegotiation ends the connection, so "after" is never echoed.
      String renegotiation = sClient(port, "R\n\nafter\n", "-tls1_2");
      assertThat(renegotiation).contains("RENEGOTIATING").doesNotContain("after");
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
