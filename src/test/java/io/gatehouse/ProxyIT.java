package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.RawHttp;
import io.gatehouse.support.TestUpstream;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway in front of real upstreams: forwarding, headers both ways, errors, fixed responses, WebSockets. */
class ProxyIT {

  static TestUpstream one;
  static TestUpstream two;
  static GatehouseFixture gateway;
  static int closedPort;

  @BeforeAll
  static void start(@TempDir Path data) throws Exception {
    one = TestUpstream.start("one");
    two = TestUpstream.start("two");
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    gateway = GatehouseFixture.start(data, """
        routes:
          - { id: echo, path: /echo/**, upstream: "${ONE}", auth: [none] }
          - { id: strip, path: /api/**, strip_prefix: /api, upstream: "${ONE}/base", auth: [none] }
          - { id: rewrite, path: "/v1/books/{id}", rewrite: "/books/{id}/details", upstream: "${ONE}", auth: [none] }
          - id: balanced
            path: /rr/**
            upstream: { targets: ["${ONE}", "${TWO}"] }
            auth: [none]
          - { id: posts, path: /only-post, methods: [POST], upstream: "${ONE}", auth: [none] }
          - { id: hosted, path: /echo/**, hosts: [tenant.example.com], upstream: "${TWO}", auth: [none] }
          - { id: slow, path: /slow, upstream: "${ONE}", timeout: 300ms, auth: [none] }
          - { id: down, path: /down, upstream: "http://127.0.0.1:${CLOSED}", auth: [none] }
          - { id: hop, path: /hop, upstream: "${ONE}", auth: [none] }
          - { id: ws, path: /ws, upstream: "${ONE}", auth: [none] }
          - { id: mock, path: /mock, respond: { status: 418, headers: { Content-Type: text/plain, X-Mock: "yes" }, body: "short and stout" }, auth: [none] }
          - { id: closed, path: /private/**, upstream: "${ONE}" }
        """, Map.of("ONE", one.url(), "TWO", two.url(), "CLOSED", Integer.toString(closedPort)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    one.close();
    two.close();
  }

  private static JsonObject echoed(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  @Test
  void forwardsMethodPathQueryAndBody() throws Exception {
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.http("/echo/a/b?x=1&y=%20z"))
        .method("PUT", HttpRequest.BodyPublishers.ofString("payload")).build());
    JsonObject echo = echoed(response);
    assertThat(echo.getString("method")).isEqualTo("PUT");
    assertThat(echo.getString("uri")).isEqualTo("/echo/a/b?x=1&y=%20z");
    assertThat(echo.getString("body")).isEqualTo("payload");
    assertThat(echo.getJsonObject("headers").getString("host")).isEqualTo("127.0.0.1:" + one.port());
  }

  @Test
  void stripPrefixRewriteAndUpstreamBasePath() throws Exception {
    assertThat(echoed(gateway.get("/api/things/1?q=2")).getString("uri")).isEqualTo("/base/things/1?q=2");
    assertThat(echoed(gateway.get("/api")).getString("uri")).isEqualTo("/base/");
    assertThat(echoed(gateway.get("/v1/books/42")).getString("uri")).isEqualTo("/books/42/details");
  }

  @Test
  void roundRobinsOverTargets() throws Exception {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < 6; i++) {
      names.add(echoed(gateway.get("/rr/x")).getString("name"));
    }
    assertThat(names).containsExactlyInAnyOrder("one", "two");
  }

  @Test
  void methodAndHostFiltersChooseRoutes() throws Exception {
    assertThat(gateway.get("/only-post").statusCode()).isEqualTo(404);
    assertThat(gateway.send(HttpRequest.newBuilder(gateway.http("/only-post"))
        .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(200);
    String viaHost = RawHttp.exchange(gateway.gatehouse.httpPort(),
        "GET /echo/h HTTP/1.1\r\nHost: tenant.example.com\r\nConnection: close\r\n\r\n");
    assertThat(viaHost).contains("\"name\":\"two\"");
  }

  @Test
  void addsForwardingHeadersAndReplacesForgedOnes() throws Exception {
    JsonObject headers = echoed(gateway.get("/echo/fwd",
        "X-Forwarded-For", "6.6.6.6", "Forwarded", "for=6.6.6.6", "X-Forwarded-Host", "evil.example",
        "X-Gatehouse-Subject", "admin", "x-gatehouse-roles", "admin", "X-Request-Id", "client-id-1"))
        .getJsonObject("headers");
    assertThat(headers.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(headers.getString("forwarded")).isEqualTo("for=127.0.0.1;proto=http;host=\"127.0.0.1:" + gateway.gatehouse.httpPort() + "\"");
    assertThat(headers.getString("x-forwarded-proto")).isEqualTo("http");
    assertThat(headers.getString("x-forwarded-host")).isEqualTo("127.0.0.1:" + gateway.gatehouse.httpPort());
    assertThat(headers.getString("x-request-id")).isEqualTo("client-id-1");
    assertThat(headers.getString("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
    assertThat(headers.fieldNames()).noneMatch(name -> name.startsWith("x-gatehouse-"));
  }

  @Test
  void requestIdIsGeneratedWhenMissingOrMalformedAndReturned() throws Exception {
    HttpResponse<String> generated = gateway.get("/echo/id");
    String id = generated.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(id).matches("[0-9a-f]{32}");
    assertThat(echoed(generated).getJsonObject("headers").getString("x-request-id")).isEqualTo(id);
    assertThat(echoed(generated).getJsonObject("headers").getString("traceparent")).startsWith("00-" + id + "-");
    HttpResponse<String> hostile = gateway.get("/echo/id", "X-Request-Id", "a b<script>");
    assertThat(hostile.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f]{32}");
  }

  @Test
  void hopByHopHeadersAreDroppedBothWays() throws Exception {
    long start = System.nanoTime();
    String response = RawHttp.exchange(gateway.gatehouse.httpPort(),
        "GET /echo/hop HTTP/1.1\r\nHost: x\r\nConnection: close, X-Client-Hop\r\nX-Client-Hop: secret\r\nKeep-Alive: timeout=1\r\n\r\n");
    // "close" among other options still closes the connection (RFC 9112 §9.6), well before RawHttp's 10 s quiet period.
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000L);
    assertThat(response).startsWith("HTTP/1.1 200").doesNotContain("x-client-hop").doesNotContain("keep-alive");
    HttpResponse<String> fromUpstream = gateway.get("/hop");
    assertThat(fromUpstream.body()).isEqualTo("hop");
    assertThat(fromUpstream.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("x-secret-hop")
        || h.equalsIgnoreCase("server") || h.equalsIgnoreCase("x-powered-by") || h.equalsIgnoreCase("keep-alive"));
  }

  @Test
  void unreachableUpstreamIs502AndSlowUpstreamIs504() throws Exception {
    HttpResponse<String> down = gateway.get("/down");
    assertThat(down.statusCode()).isEqualTo(502);
    assertThat(down.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonObject problem = new JsonObject(down.body());
    assertThat(problem.getString("type")).isEqualTo("urn:gatehouse:problem:bad-gateway");
    assertThat(problem.getString("request_id")).isEqualTo(down.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(down.body()).doesNotContain("Exception").doesNotContain("127.0.0.1");

    HttpResponse<String> slow = gateway.get("/slow");
    assertThat(slow.statusCode()).isEqualTo(504);
    assertThat(new JsonObject(slow.body()).getString("type")).isEqualTo("urn:gatehouse:problem:gateway-timeout");
  }

  @Test
  void fixedResponsesAndMissingRoutes() throws Exception {
    HttpResponse<String> mock = gateway.get("/mock");
    assertThat(mock.statusCode()).isEqualTo(418);
    assertThat(mock.body()).isEqualTo("short and stout");
    assertThat(mock.headers().firstValue("X-Mock")).hasValue("yes");
    assertThat(mock.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

    HttpResponse<String> missing = gateway.get("/nothing/here");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(missing.body()).getInteger("status")).isEqualTo(404);
  }

  @Test
  void routeWithoutAuthIsClosed() throws Exception {
    int before = one.requests.get();
    HttpResponse<String> response = gateway.get("/private/data");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"gatehouse\"");
    assertThat(one.requests.get()).isEqualTo(before);
  }

  @Test
  void everyResponseCarriesSecurityHeaders() throws Exception {
    for (String path : new String[] {"/echo/x", "/mock", "/nothing", "/down", "/private/x"}) {
      HttpResponse<String> response = gateway.get(path);
      assertThat(response.headers().firstValue("X-Request-Id")).as(path).isPresent();
      assertThat(response.headers().firstValue("X-Response-Time")).as(path).hasValueSatisfying(v -> assertThat(v).endsWith("ms"));
      assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
      assertThat(response.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
      assertThat(response.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
      assertThat(response.headers().firstValue("Strict-Transport-Security")).as(path).isEmpty();
      assertThat(response.headers().firstValue("Server")).as(path).isEmpty();
    }
  }

  @Test
  void webSocketUpgradesPassThrough() throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    java.net.http.WebSocket socket = gateway.client().newWebSocketBuilder()
        .buildAsync(java.net.URI.create("ws://127.0.0.1:" + gateway.gatehouse.httpPort() + "/ws"), new java.net.http.WebSocket.Listener() {
          @Override
          public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
            received.complete(data.toString());
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    socket.sendText("ping through the gateway", true);
    assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("ping through the gateway");
    socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
  }
}
