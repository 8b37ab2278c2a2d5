package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.GatewayWithUpstream;
import io.gatehouse.support.RawHttp2;
import io.gatehouse.support.TestPki;
import io.gatehouse.support.TestUpstream;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 over TLS (ALPN h2) on the HTTPS listener: requests take the same pipeline as HTTP/1.1
 * and reach HTTP/1.1 upstreams; a connection is bounded in concurrent streams, and a client that
 * floods resets (CVE-2023-44487, "rapid reset") loses its connection.
 */
class Http2IT {

  static GatewayWithUpstream env;
  static TestUpstream upstream;
  static GatehouseFixture gateway;
  static SSLContext tls;
  static HttpClient client;

  @BeforeAll
  static void start(@TempDir Path data) throws Exception {
    env = GatewayWithUpstream.start(data, """
        routes:
          - { id: open, path: /open/**, strip_prefix: /open, upstream: "${UP}", auth: [none] }
          - { id: closed, path: /closed/**, upstream: "${UP}" }
        """, Map.of("MAX_STREAMS", "3"));
    upstream = env.upstream;
    gateway = env.gateway;
    byte[] pem = Files.readAllBytes(data.resolve("tls/self-signed-cert.pem"));
    tls = TestPki.context(CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem)), null);
    client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_2).build();
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  private static URI https(String path) {
    return URI.create("https://localhost:" + gateway.gatehouse.httpsPort() + path);
  }

  @Test
  void requestsTakeThePipelineAndReachHttp11Upstreams() throws Exception {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(https("/open/echo?q=1"))
        .header("X-Gatehouse-Subject", "admin").POST(HttpRequest.BodyPublishers.ofString("over h2")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-request-id")).isPresent();
    assertThat(response.headers().firstValue("strict-transport-security")).isPresent();
    JsonObject echo = new JsonObject(response.body());
    assertThat(echo.getString("uri")).isEqualTo("/echo?q=1");
    assertThat(echo.getString("body")).isEqualTo("over h2");
    JsonObject headers = echo.getJsonObject("headers");
    assertThat(headers.getString("x-forwarded-proto")).isEqualTo("https");
    assertThat(headers.getString("host")).isEqualTo("127.0.0.1:" + upstream.port());
    assertThat(headers.fieldNames()).noneMatch(name -> name.startsWith("x-http2-") || name.startsWith("x-gatehouse-"));

    HttpResponse<String> closed = client.send(HttpRequest.newBuilder(https("/closed/x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(closed.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(closed.statusCode()).isEqualTo(401);
    HttpResponse<String> hostile = client.send(HttpRequest.newBuilder(https("/open/%2e%2e/closed/x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(hostile.statusCode()).isEqualTo(400);
    assertThat(client.send(HttpRequest.newBuilder(https("/open/again")).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).as("the connection survives a refused stream").isEqualTo(200);
  }

  @Test
  void bodiesStreamUnderFlowControl() throws Exception {
    long size = 64L * 1024 * 1024;
    HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(https("/open/download?bytes=" + size)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    long total = 0;
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = body.read(buffer)) > 0) {
        total += n;
      }
    }
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(total).isEqualTo(size);
  }

  @Test
  void streamsBeyondTheLimitAreRefused() throws Exception {
    int before = upstream.requests.get();
    try (RawHttp2 h2 = new RawHttp2(gateway.gatehouse.httpsPort(), tls)) {
      for (int stream = 1; stream <= 11; stream += 2) {
        h2.request(stream, "GET", "/open/slow", true);
      }
      h2.flush();
      List<RawHttp2.Frame> frames = h2.read(1_500);
      List<Integer> refused = frames.stream().filter(f -> f.type() == RawHttp2.RST_STREAM && f.code() == RawHttp2.REFUSED_STREAM)
          .map(RawHttp2.Frame::stream).toList();
      assertThat(refused).containsExactly(7, 9, 11);
    }
    assertThat(upstream.requests.get() - before).isLessThanOrEqualTo(3);
  }

  @Test
  void aStreamLeftOpenAfterItsHeadIsClosedAndTheConnectionThenIdlesOut(@TempDir Path data) throws Exception {
    try (GatehouseFixture quick = GatehouseFixture.startRaw(data, """
        server:
          http: { enabled: false }
          https: { host: 127.0.0.1, port: 0 }
          limits: { request_timeout: 1s, idle_timeout: 2s }
        management: { enabled: false }
        store: { embedded: { path: "${DATA}" } }
        routes:
          - { id: open, path: /open/**, strip_prefix: /open, upstream: "${UP}", auth: [none] }
        """, Map.of("UP", upstream.url()))) {
      byte[] pem = Files.readAllBytes(data.resolve("tls/self-signed-cert.pem"));
      SSLContext trust = TestPki.context(CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem)), null);
      try (RawHttp2 h2 = new RawHttp2(quick.gatehouse.httpsPort(), trust)) {
        long start = System.nanoTime();
        // "Content-Length: 0" in the head, and no END_STREAM: a stream that says it is done but is not.
        h2.request(1, "GET", "/open/x", false, "content-length", "0").request(3, "POST", "/open/y", false).flush();
        List<RawHttp2.Frame> frames = h2.read(6_000);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(frames).as("each stream is answered or reset")
            .anySatisfy(f -> assertThat(f.stream()).isEqualTo(1))
            .anySatisfy(f -> assertThat(f.stream()).isEqualTo(3));
        assertThat(frames).as("both streams end: reset by the server")
            .filteredOn(f -> f.type() == RawHttp2.RST_STREAM).extracting(RawHttp2.Frame::stream).contains(1, 3);
        assertThat(frames).as("then the idle connection is closed").anySatisfy(f ->
            assertThat(f.type()).isEqualTo(RawHttp2.GOAWAY));
        assertThat(seconds).as("within the request and idle timeouts, not never").isLessThan(6);
      }
    }
  }

  @Test
  void aFloodOfResetsClosesTheConnection() throws Exception {
    try (RawHttp2 h2 = new RawHttp2(gateway.gatehouse.httpsPort(), tls)) {
      for (int stream = 1; stream < 2 * 400; stream += 2) {
        h2.request(stream, "GET", "/open/slow", true).reset(stream, RawHttp2.CANCEL);
      }
      h2.flush();
      List<RawHttp2.Frame> frames = h2.read(3_000);
      assertThat(frames).anySatisfy(frame -> {
        assertThat(frame.type()).isEqualTo(RawHttp2.GOAWAY);
        assertThat(frame.code()).isEqualTo(RawHttp2.ENHANCE_YOUR_CALM);
      });
    }
  }
}
