package io.gatehouse.gateway;

import io.gatehouse.http.SecurityHeaders;
import io.gatehouse.http.TrustedProxies;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The response half of a proxied request without a network: the upstream's answer (nginx's
 * headers, a 98-byte body) decoded by the upstream connection's decoder as configured in
 * {@link UpstreamConnector}, rewritten for the client ({@link ProxyHeaders#fromUpstream}), given the
 * headers every response carries ({@link SecurityHeaders}) and encoded for the client. This is the
 * part of the proxy path {@code PipelineBenchmark} (a fixed answer) does not cover. Run with
 * {@code bash bench/jmh.sh ProxiedResponseBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProxiedResponseBenchmark {

  private static final byte[] BODY = ("{\"id\":12345,\"name\":\"bench item\",\"price\":19.99,\"tags\":[\"a\",\"b\",\"c\"],"
      + "\"in_stock\":true,\"qty\":7}").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RESPONSE = concat(("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
      + "Date: Mon, 07 Dec 2026 11:00:00 GMT\r\nContent-Type: application/json\r\nContent-Length: " + BODY.length
      + "\r\nConnection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII), BODY);

  private EmbeddedChannel upstream;
  private EmbeddedChannel client;
  private ProxyHeaders proxyHeaders;
  private SecurityHeaders securityHeaders;

  @Setup(Level.Trial)
  public void setUp() {
    upstream = new EmbeddedChannel(new HttpResponseDecoder(UpstreamConnector.decoderConfig()));
    client = new EmbeddedChannel(new HttpResponseEncoder());
    proxyHeaders = new ProxyHeaders(new TrustedProxies(List.of()), "gh_session", "https://gatehouse.test");
    securityHeaders = new SecurityHeaders(0);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    upstream.finishAndReleaseAll();
    client.finishAndReleaseAll();
  }

  @Benchmark
  public int upstreamResponseToTheClient() {
    long start = System.nanoTime();
    upstream.writeInbound(Unpooled.wrappedBuffer(RESPONSE));
    HttpResponse head = upstream.readInbound();
    HttpContent last = upstream.readInbound();
    proxyHeaders.fromUpstream(head, false);
    securityHeaders.apply(head.headers(), "0af7651916cd43dd8448eb211c80319c", false, start);
    client.writeOutbound(head, last);
    int bytes = 0;
    ByteBuf out;
    while ((out = client.readOutbound()) != null) {
      bytes += out.readableBytes();
      out.release();
    }
    return bytes;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
