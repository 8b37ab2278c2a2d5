package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.support.Eventually;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.GatewayWithUpstream;
import io.gatehouse.support.RawHttp2;
import io.gatehouse.support.TestPki;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful shutdown (issue 20 item 3), driven through {@link Gatehouse#drain()}: readiness turns
 * 503 at once while the listeners keep serving for {@code shutdown.delay}; then new connections are
 * refused, idle keep-alive connections closed, a request in flight finishes with
 * {@code Connection: close} (RFC 9110 §9.6), an HTTP/2 connection gets GOAWAY (RFC 9113 §6.8), a
 * WebSocket a Close 1001 both ways (RFC 6455 §7.4.1); {@code shutdown.timeout} or a close cuts
 * what is left.
 */
class DrainIT {

  private static final String ROUTES = """
      routes:
        - { id: up, path: /up/**, strip_prefix: /up, upstream: "${UP}", auth: [none] }
        - { id: ws, path: /ws, upstream: "${UP}", auth: [none] }
      """;

  @TempDir
  Path dir;

  @Test
  void http11ServesThroughTheDelayThenRefusesClosesTheIdleAndFinishesWhatIsInFlight() throws Exception {
    try (GatewayWithUpstream env = GatewayWithUpstream.start(dir, ROUTES + "shutdown: { delay: 500ms, timeout: 10s }",
        Map.of())) {
      GatehouseFixture gateway = env.gateway;
      int port = gateway.gatehouse.httpPort();
      Socket idle = get(port, "/up/idle");
      assertThat(read(idle).status()).isEqualTo(200);
      Socket busy = get(port, "/up/hold");
      assertThat(env.upstream.held.tryAcquire(10, TimeUnit.SECONDS)).isTrue();

      long start = System.nanoTime();
      Future<Void> drained = gateway.gatehouse.drain();
      HttpResponse<String> ready = gateway.send(HttpRequest.newBuilder(gateway.management("/health/ready")).build());
      assertThat(ready.statusCode()).as("at once").isEqualTo(503);
      assertThat(new JsonObject(ready.body()).getJsonObject("checks").getString("listeners")).isEqualTo("DOWN");

      // Within the delay a balancer may still send work, on a new connection or a kept one.
      Socket late = get(port, "/up/late");
      Response served = read(late);
      assertThat(served.status()).isEqualTo(200);
      assertThat(served.header("connection")).as("an ordinary answer during the delay").isNull();
      write(idle, "/up/again");
      assertThat(read(idle).status()).isEqualTo(200);

      awaitRefused(port);
      assertThat((System.nanoTime() - start) / 1_000_000).as("not before the delay").isGreaterThanOrEqualTo(450);
      assertThat(closedByServer(idle)).as("idle keep-alive connections close at once").isTrue();
      assertThat(closedByServer(late)).isTrue();
      assertThat(drained.isComplete()).as("a request is in flight").isFalse();

      env.upstream.releaseHeld();
      Response finished = read(busy);
      assertThat(finished.status()).isEqualTo(200);
      assertThat(finished.body()).isEqualTo("released");
      assertThat(finished.header("connection")).isEqualTo("close");
      assertThat(closedByServer(busy)).isTrue();
      drained.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(gateway.accessLog.json()).as("the access log was written out before the exit")
          .anyMatch(line -> "/up/hold".equals(line.getString("path")) && line.getInteger("status") == 200);
    }
  }

  @Test
  void http2GetsGoAwayTwiceAndItsStreamsInFlightFinish() throws Exception {
    try (GatewayWithUpstream env = GatewayWithUpstream.start(dir, ROUTES + "shutdown: { delay: 0s, timeout: 10s }",
        Map.of())) {
      byte[] pem = Files.readAllBytes(dir.resolve("tls/self-signed-cert.pem"));
      SSLContext tls = TestPki.context(CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem)), null);
      try (RawHttp2 h2 = new RawHttp2(env.gateway.gatehouse.httpsPort(), tls)) {
        h2.request(1, "GET", "/up/hold", true).flush();
        assertThat(env.upstream.held.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        h2.read(200);

        Future<Void> drained = env.gateway.gatehouse.drain();
        List<RawHttp2.Frame> goingAway = h2.read(1_500).stream().filter(f -> f.type() == RawHttp2.GOAWAY).toList();
        assertThat(goingAway).extracting(RawHttp2.Frame::lastStreamId)
            .as("first 2^31-1: open no more streams; after the PING's round trip, the last one opened")
            .containsExactly(Integer.MAX_VALUE, 1);
        assertThat(goingAway).extracting(RawHttp2.Frame::code).containsOnly(0);
        assertThat(drained.isComplete()).isFalse();

        env.upstream.releaseHeld();
        List<RawHttp2.Frame> rest = h2.read(3_000);
        assertThat(rest).filteredOn(f -> f.stream() == 1).extracting(RawHttp2.Frame::type)
            .contains(RawHttp2.HEADERS, RawHttp2.DATA);
        drained.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aWebSocketGetsACloseWith1001BothWays() throws Exception {
    try (GatewayWithUpstream env = GatewayWithUpstream.start(dir, ROUTES + "shutdown: { delay: 0s, timeout: 10s }",
        Map.of())) {
      CompletableFuture<String> echoed = new CompletableFuture<>();
      CompletableFuture<Integer> closedWith = new CompletableFuture<>();
      URI uri = URI.create("ws://127.0.0.1:" + env.gateway.gatehouse.httpPort() + "/ws");
      WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
          echoed.complete(data.toString());
          ws.request(1);
          return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
          closedWith.complete(status);
          return null; // answered with a Close of its own
        }
      }).get(10, TimeUnit.SECONDS);
      socket.sendText("before", true);
      assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("before");

      Future<Void> drained = env.gateway.gatehouse.drain();
      assertThat(closedWith.get(5, TimeUnit.SECONDS)).isEqualTo(1001);
      Eventually.until(() -> env.upstream.webSocketCloses.contains((short) 1001), Duration.ofSeconds(10));
      drained.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theTimeoutCutsWhatIsStillInFlight() throws Exception {
    try (GatewayWithUpstream env = GatewayWithUpstream.start(dir, ROUTES + "shutdown: { delay: 0s, timeout: 300ms }",
        Map.of())) {
      Socket stuck = get(env.gateway.gatehouse.httpPort(), "/up/hold");
      assertThat(env.upstream.held.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
      long start = System.nanoTime();
      env.gateway.gatehouse.drain().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 3_000L);
      assertThatThrownBy(() -> read(stuck)).as("cut, never answered").isInstanceOf(IOException.class);
    }
  }

  @Test
  void aCloseDuringTheDrainStopsAtOnce() throws Exception {
    try (GatewayWithUpstream env = GatewayWithUpstream.start(dir, ROUTES + "shutdown: { delay: 30s, timeout: 30s }",
        Map.of())) {
      Future<Void> drained = env.gateway.gatehouse.drain();
      assertThat(read(get(env.gateway.gatehouse.httpPort(), "/up/x")).status()).as("within the delay").isEqualTo(200);
      long start = System.nanoTime();
      env.gateway.gatehouse.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      drained.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
    }
  }

  // ---------------------------------------------------------------- a plain HTTP/1.1 client on a socket

  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name);
    }
  }

  private static Socket get(int port, String path) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    write(socket, path);
    return socket;
  }

  private static void write(Socket socket, String path) throws IOException {
    String head = "GET " + path + " HTTP/1.1\r\nHost: gw\r\n\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** One response with a Content-Length body, leaving the connection for the next. */
  private static Response read(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    String statusLine = line(in);
    if (statusLine == null) {
      throw new SocketException("closed before a response");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    return new Response(Integer.parseInt(statusLine.substring(9, 12)), headers,
        new String(body, StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  /** Whether the server closed the connection (end of stream, or a reset) within 5 s. */
  private static boolean closedByServer(Socket socket) throws IOException {
    socket.setSoTimeout(5_000);
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true;
    } finally {
      socket.close();
    }
  }

  private static void awaitRefused(int port) throws Exception {
    Eventually.until(() -> {
      try (Socket probe = new Socket("127.0.0.1", port)) {
        return false;
      } catch (ConnectException e) {
        return true;
      }
    }, Duration.ofSeconds(10));
  }
}
