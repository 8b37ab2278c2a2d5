package io.gatehouse.gateway;

import io.gatehouse.http.Exchange;
import io.gatehouse.http.Exchanges;
import io.gatehouse.http.TrustedProxies;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The request half of a proxied request without a network: a client's request as the shared
 * harness sends it (Host, and a bearer JWT of another issuer on an open route) rewritten for the
 * upstream by {@link ProxyHeaders#toUpstream}, on headers that validate as the server's decoder's
 * do, with the exchange's request id and trace made as the pipeline makes them. Run with
 * {@code bash bench/jmh.sh ProxiedRequestBenchmark -prof gc} for bytes per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProxiedRequestBenchmark {

  private ProxyHeaders proxyHeaders;
  private String authorization;

  @Setup
  public void setUp() {
    proxyHeaders = new ProxyHeaders(new TrustedProxies(List.of()), "gh_session", "https://gatehouse.test");
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String header = base64.encodeToString("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"bench\"}".getBytes(StandardCharsets.UTF_8));
    String claims = base64.encodeToString(("{\"iss\":\"https://issuer.test\",\"aud\":\"bench-api\",\"sub\":\"bench-user\","
        + "\"exp\":4102444800,\"iat\":1700000000,\"scope\":\"read write\"}").getBytes(StandardCharsets.UTF_8));
    String signature = base64.encodeToString(new byte[64]);
    authorization = "Bearer " + header + "." + claims + "." + signature;
  }

  @Benchmark
  public int requestHeadersToTheUpstream() {
    // The string values stand for the decoder's: each request's are new objects, as on the wire.
    HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
    headers.add(HttpHeaderNames.HOST, new String("127.0.0.1:18086"));
    headers.add(HttpHeaderNames.AUTHORIZATION, new String(authorization));
    Exchange exchange = Exchanges.of(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/items",
        headers));
    proxyHeaders.toUpstream(headers, exchange, "127.0.0.1:18080", false, false, false, null, exchange.trace());
    return headers.size();
  }
}
