package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.GatewayWithUpstream;
import io.gatehouse.support.LogCapture;
import io.gatehouse.support.RawHttp;
import io.gatehouse.support.TestUpstream;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The protocol hardening of the data plane: requests that parsers disagree about are refused
 * before anything is forwarded; headers are scrubbed both ways; Gatehouse's own credentials never
 * reach an upstream; WebSocket upgrades are held to the same origin rules as cookie changes; the
 * pipeline's order decides which answer wins. Every refusal is a 4xx, never a 500 or an ERROR line.
 */
class ProtocolHardeningIT {

  private static final String PASSWORD = "correct horse battery";

  static GatewayWithUpstream env;
  static TestUpstream upstream;
  static GatehouseFixture gateway;
  static LogCapture logs;
  static String session;

  @BeforeAll
  static void start(@TempDir Path data) throws Exception {
    logs = new LogCapture("ROOT");
    env = GatewayWithUpstream.start(data, """
        cors: { allowed_origins: ["https://app.example.com"], allow_credentials: true }
        routes:
          - { id: open, path: /open/**, upstream: "${UP}", auth: [none] }
          - { id: cors, path: /cors, upstream: "${UP}", auth: [none] }
          - { id: fwd, path: /fwd/**, upstream: "${UP}", auth: [none], forward_credentials: true }
          - { id: closed, path: /closed/**, upstream: "${UP}" }
          - { id: ws, path: /ws-headers, upstream: "${UP}", auth: [session] }
          - { id: wsopen, path: /ws, upstream: "${UP}", auth: [none] }
        """, Map.of("MAX_BODY", "1KiB"));
    upstream = env.upstream;
    gateway = env.gateway;
    RawHttp.exchange(port(), post("/auth/signup", "{\"username\":\"hank\",\"password\":\"" + PASSWORD + "\"}"));
    String login = RawHttp.exchange(port(), post("/auth/login", "{\"username\":\"hank\",\"password\":\"" + PASSWORD + "\"}"));
    session = new JsonObject(login.substring(login.indexOf("\r\n\r\n") + 4)).getString("session_token");
  }

  @AfterAll
  static void stop() {
    env.close();
    logs.close();
  }

  private static int port() {
    return gateway.gatehouse.httpPort();
  }

  private static String post(String path, String json) {
    return "POST " + path + " HTTP/1.1\r\nHost: gw\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: "
        + json.length() + "\r\n\r\n" + json;
  }

  /** Sends {@code request}; asserts the answer and that the server closed the connection (well before 3 s of quiet). */
  private static String refusedAndClosed(String request, int status) throws Exception {
    int before = upstream.requests.get();
    try (RawHttp raw = new RawHttp(port(), 3_000)) {
      long start = System.nanoTime();
      raw.write(request);
      String response = raw.readAll();
      assertThat(RawHttp.status(response)).as(request).isEqualTo(status);
      assertThat((System.nanoTime() - start) / 1_000_000).as("closed by the server: " + request).isLessThan(2_500L);
      assertThat(response).containsIgnoringCase("connection: close").contains("application/problem+json");
      assertThat(upstream.requests.get()).as("nothing reached the upstream").isEqualTo(before);
      return response;
    }
  }

  private static JsonObject echoedHeaders(String path, String... headerLines) throws Exception {
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: gw.example\r\nConnection: close\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    String response = RawHttp.exchange(port(), request.append("\r\n").toString());
    assertThat(RawHttp.status(response)).as(response).isEqualTo(200);
    return new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4)).getJsonObject("headers");
  }

  // ---------------------------------------------------------------- framing

  @ParameterizedTest
  @ValueSource(strings = {
      "GET /open/x HTTP/1.1\r\n\r\n",                                           // no Host
      "GET /open/x HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n",      // two Host lines
      "GET /open/x HTTP/1.1\r\nHost: a.example, b.example\r\n\r\n",             // a list
      "GET /open/x HTTP/1.1\r\nHost: user@a.example\r\n\r\n",                   // user info
      "GET /open/x HTTP/1.1\r\nHost: a.example:99999\r\n\r\n",                  // bad port
      "GET /open/x HTTP/1.1\r\nHost: a.example:80a\r\n\r\n",
      "GET /open/x HTTP/1.1\r\nHost: a.example:\r\n\r\n",
      "GET /open/x HTTP/1.1\r\nHost: a example\r\n\r\n",
      "GET /open/x HTTP/1.1\r\nHost: \r\n\r\n",
      "GET /open/x HTTP/1.1\r\nHost: [::1\r\n\r\n",
  })
  void malformedHostIs400(String request) throws Exception {
    refusedAndClosed(request, 400);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Transfer-Encoding: CHUNKED",
      "Transfer-Encoding: chunked, identity",
      "Transfer-Encoding: gzip, chunked",
      "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
      "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked",
      "Transfer-Encoding: chunked\r\nContent-Length: 5",
      "Content-Length: 5\r\nContent-Length: 6",
      "Content-Length: 5\r\nContent-Length: 5",
      "Transfer_Encoding: chunked",
      "transfer.encoding: chunked",
      "Content_Length: 5",
      "Transfer-Encoding : chunked",
      "Content-Length: -1",
      "Content-Length: 0x10",
  })
  void ambiguousFramingIs400AndCloses(String framing) throws Exception {
    refusedAndClosed("POST /open/upload HTTP/1.1\r\nHost: gw\r\n" + framing + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400);
  }

  @Test
  void transferEncodingOnHttp10Is400() throws Exception {
    refusedAndClosed("POST /open/upload HTTP/1.0\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400);
  }

  @Test
  void aChunkSizeThatDoesNotFitIs400NotAWrappedSize() throws Exception {
    // 0x100000004 would wrap to 4 in 32 bits and smuggle "GET /closed" as a second request.
    String smuggled = "GET /closed/x HTTP/1.1\r\nHost: gw\r\n\r\n";
    refusedAndClosed("POST /open/upload HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n100000004\r\nabcd\r\n0\r\n\r\n"
        + smuggled, 400);
  }

  @Test
  void refusalsLeaveNoErrorLines() throws Exception {
    refusedAndClosed("GET /open/x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
    refusedAndClosed("POST /open/x HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: CHUNKED\r\n\r\n0\r\n\r\n", 400);
    refusedAndClosed("GARBAGE\r\n\r\n", 400);
    assertThat(logs.json()).noneMatch(line -> "ERROR".equals(line.getString("level")));
  }

  // ---------------------------------------------------------------- methods and hosts

  @ParameterizedTest
  @ValueSource(strings = {"TRACE", "TRACK", "CONNECT"})
  void traceTrackAndConnectAre405(String method) throws Exception {
    int before = upstream.requests.get();
    String response = RawHttp.exchange(port(), method + " /open/x HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");
    assertThat(RawHttp.status(response)).isEqualTo(405);
    assertThat(response).containsIgnoringCase("allow: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
    assertThat(upstream.requests.get()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"get", "Get", "FOO", "PROPFIND", "G-E-T"})
  void methodsAreCaseSensitiveAndUnknownOnesAreNotForwarded(String method) throws Exception {
    int before = upstream.requests.get();
    String response = RawHttp.exchange(port(), method + " /open/x HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");
    assertThat(RawHttp.status(response)).as(method).isEqualTo(501);
    assertThat(upstream.requests.get()).isEqualTo(before);
  }

  @Test
  void otherHttpVersionsAre505() throws Exception {
    refusedAndClosed("GET /open/x HTTP/2.0\r\nHost: gw\r\n\r\n", 505);
  }

  @Test
  void onlyExpect100ContinueIsAccepted() throws Exception {
    String response = RawHttp.exchange(port(), "POST /open/x HTTP/1.1\r\nHost: gw\r\nConnection: close\r\nExpect: magic\r\nContent-Length: 2\r\n\r\nhi");
    assertThat(RawHttp.status(response)).isEqualTo(417);
    try (RawHttp raw = new RawHttp(port(), 3_000)) {
      raw.write("POST /open/x HTTP/1.1\r\nHost: gw\r\nConnection: close\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
      String interim = raw.readSome();
      assertThat(interim).startsWith("HTTP/1.1 100 Continue");
      raw.write("hi");
      String answer = raw.readAll();
      assertThat(answer).contains("HTTP/1.1 200").contains("\"body\":\"hi\"").doesNotContainIgnoringCase("\"expect\"");
    }
  }

  // ---------------------------------------------------------------- headers to the upstream

  @Test
  void hopByHopHeadersNeverReachTheUpstream() throws Exception {
    JsonObject headers = echoedHeaders("/open/hop", "Keep-Alive: timeout=5", "Proxy-Connection: keep-alive", "TE: trailers",
        "Trailer: X-Checksum", "Upgrade: h2c", "Proxy-Authorization: Basic c2VjcmV0", "Connection: X-Listed, upgrade",
        "X-Listed: secret");
    assertThat(headers.fieldNames()).doesNotContain("keep-alive", "proxy-connection", "te", "trailer", "upgrade",
        "proxy-authorization", "x-listed", "connection");
  }

  @Test
  void identityHeadersAreRemovedUnderEverySpelling() throws Exception {
    JsonObject headers = echoedHeaders("/open/id", "X-Gatehouse-Subject: admin", "X_Gatehouse_Subject: admin",
        "x.gatehouse.roles: admin", "X-GATEHOUSE-CLIENT: evil", "x_gatehouse.auth: none", "X-Forwarded_For: 6.6.6.6",
        "X_Real_IP: 6.6.6.6");
    assertThat(headers.fieldNames()).noneMatch(name -> name.replace('_', '-').replace('.', '-').startsWith("x-gatehouse-"));
    assertThat(headers.fieldNames()).doesNotContain("x-forwarded_for", "x_real_ip");
    assertThat(headers.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
  }

  @Test
  void headersUpstreamsTrustForRoutingOrIdentityAreRemovedFromUntrustedPeers() throws Exception {
    JsonObject headers = echoedHeaders("/open/trust", "X-Original-URL: /admin", "X-Rewrite-URL: /admin",
        "X-Forwarded-Prefix: /admin", "X-Forwarded-Port: 443", "X-Real-IP: 10.0.0.1", "X-Client-Cert: MIIB",
        "X-SSL-Client-Verify: SUCCESS", "X-SSL-Client-DN: CN=admin", "X-HTTP-Method-Override: DELETE",
        "X-Forwarded-Proto: https", "X-Forwarded-Host: evil.example");
    assertThat(headers.fieldNames()).doesNotContain("x-original-url", "x-rewrite-url", "x-forwarded-prefix",
        "x-forwarded-port", "x-real-ip", "x-client-cert", "x-ssl-client-verify", "x-ssl-client-dn", "x-http-method-override");
    assertThat(headers.getString("x-forwarded-proto")).isEqualTo("http");
    assertThat(headers.getString("x-forwarded-host")).isEqualTo("gw.example");
  }

  @Test
  void aTrustedProxyKeepsItsHeadersAndItsForwardedForLinesReadAsOneList(@TempDir Path data) throws Exception {
    try (GatewayWithUpstream trusted = GatewayWithUpstream.start(data, """
        routes:
          - { id: open, path: /**, upstream: "${UP}", auth: [none] }
        """, Map.of("TRUSTED", "127.0.0.1"))) {
      String response = RawHttp.exchange(trusted.gateway.gatehouse.httpPort(), "GET /x HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n"
          + "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-For: 198.51.100.2, 127.0.0.1\r\nX-Real-IP: 203.0.113.7\r\n"
          + "X-Forwarded-Proto: https\r\n\r\n");
      JsonObject headers = new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4)).getJsonObject("headers");
      assertThat(headers.getString("x-forwarded-for")).isEqualTo("203.0.113.7, 198.51.100.2, 127.0.0.1, 127.0.0.1");
      assertThat(headers.getString("x-real-ip")).isEqualTo("203.0.113.7");
      assertThat(headers.getString("x-forwarded-proto")).isEqualTo("https");
      List<JsonObject> lines = trusted.gateway.accessLog.await(line -> "/x".equals(line.getString("path")));
      assertThat(lines).singleElement().satisfies(line -> assertThat(line.getString("ip")).isEqualTo("198.51.100.2"));
    }
  }

  @Test
  void gatehouseCredentialsNeverReachAnUpstreamUnlessTheRouteSaysSo() throws Exception {
    String apiKey = "gh_0123456789ab_" + "f".repeat(64);
    for (String path : new String[] {"/open/creds", "/fwd/creds"}) {
      boolean forwarded = path.startsWith("/fwd");
      JsonObject cookies = echoedHeaders(path, "Cookie: gh_session=" + session + "; theme=dark; __Host-gh_session=x");
      assertThat(cookies.getString("cookie")).as(path).isEqualTo(forwarded
          ? "gh_session=" + session + "; theme=dark; __Host-gh_session=x" : "theme=dark");
      assertThat(echoedHeaders(path, "Authorization: Bearer " + session).containsKey("authorization")).as(path).isEqualTo(forwarded);
      assertThat(echoedHeaders(path, "Authorization: Bearer " + apiKey).containsKey("authorization")).as(path).isEqualTo(forwarded);
      assertThat(echoedHeaders(path, "Authorization: ApiKey " + apiKey).containsKey("authorization")).as(path).isEqualTo(forwarded);
      assertThat(echoedHeaders(path, "X-Api-Key: " + apiKey).containsKey("x-api-key")).as(path).isEqualTo(forwarded);
    }
    // Credentials that are not Gatehouse's pass: the upstream's own JWTs, keys and basic auth.
    assertThat(echoedHeaders("/open/creds", "Authorization: Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln").getString("authorization"))
        .isEqualTo("Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln");
    assertThat(echoedHeaders("/open/creds", "X-Api-Key: upstream-own-key").getString("x-api-key")).isEqualTo("upstream-own-key");
    assertThat(echoedHeaders("/open/creds", "Cookie: theme=dark").getString("cookie")).isEqualTo("theme=dark");
  }

  // ---------------------------------------------------------------- headers from the upstream

  @Test
  void theUpstreamsCorsHeadersNeverReachTheClient() throws Exception {
    HttpResponse<String> foreign = gateway.get("/cors", "Origin", "https://evil.example");
    assertThat(foreign.body()).isEqualTo("cors");
    assertThat(foreign.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
    HttpResponse<String> allowed = gateway.get("/cors", "Origin", "https://app.example.com");
    assertThat(allowed.headers().allValues("Access-Control-Allow-Origin")).containsExactly("https://app.example.com");
    assertThat(allowed.headers().allValues("Access-Control-Allow-Credentials")).containsExactly("true");
    assertThat(allowed.headers().firstValue("Access-Control-Expose-Headers")).hasValue("x-request-id");
  }

  // ---------------------------------------------------------------- hosts

  @Test
  void aHostAllowListAnswers421ToOtherHosts(@TempDir Path data) throws Exception {
    try (TestUpstream up = TestUpstream.start("up");
         GatehouseFixture hosted = GatehouseFixture.startRaw(data, """
             server:
               http: { host: 127.0.0.1, port: 0 }
               https: { enabled: false }
               hosts: [api.example.com, "*.example.org"]
             management: { enabled: false }
             store: { embedded: { path: "${DATA}" } }
             routes:
               - { id: open, path: /**, upstream: "${UP}", auth: [none] }
             """, Map.of("UP", up.url()))) {
      int port = hosted.gatehouse.httpPort();
      for (String host : new String[] {"api.example.com", "API.example.com:8080", "a.example.org", "api.example.com."}) {
        assertThat(RawHttp.status(RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")))
            .as(host).isEqualTo(200);
      }
      for (String host : new String[] {"evil.example", "127.0.0.1", "example.org", "api.example.com.evil"}) {
        String response = RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        assertThat(RawHttp.status(response)).as(host).isEqualTo(421);
        assertThat(response).contains("misdirected-request");
      }
      assertThat(up.requests.get()).isEqualTo(4);
    }
  }

  // ---------------------------------------------------------------- WebSockets

  private static CompletableFuture<String> firstMessage(String path, String... headers) {
    CompletableFuture<String> first = new CompletableFuture<>();
    WebSocket.Builder builder = gateway.client().newWebSocketBuilder();
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    builder.buildAsync(URI.create("ws://127.0.0.1:" + port() + path), new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        first.complete(data.toString());
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        return null;
      }
    }).whenComplete((ws, failure) -> {
      if (failure != null) {
        first.completeExceptionally(failure);
      }
    });
    return first;
  }

  private static int handshakeStatus(CompletableFuture<String> attempt) throws Exception {
    try {
      attempt.get(10, TimeUnit.SECONDS);
      return 101;
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
      assertThat(cause).isInstanceOf(WebSocketHandshakeException.class);
      return ((WebSocketHandshakeException) cause).getResponse().statusCode();
    }
  }

  @Test
  void aCookieAuthenticatedUpgradeNeedsASameOriginOrListedOrigin() throws Exception {
    int before = upstream.requests.get();
    assertThat(handshakeStatus(firstMessage("/ws-headers", "Cookie", "gh_session=" + session, "Origin", "https://evil.example")))
        .isEqualTo(403);
    assertThat(handshakeStatus(firstMessage("/ws-headers", "Cookie", "gh_session=" + session))).as("no Origin").isEqualTo(403);
    assertThat(upstream.requests.get()).isEqualTo(before);
    assertThat(handshakeStatus(firstMessage("/ws-headers", "Cookie", "gh_session=" + session,
        "Origin", "http://127.0.0.1:" + port()))).isEqualTo(101);
    assertThat(handshakeStatus(firstMessage("/ws-headers", "Cookie", "gh_session=" + session,
        "Origin", "https://app.example.com"))).isEqualTo(101);
    assertThat(handshakeStatus(firstMessage("/ws-headers", "Authorization", "Bearer " + session,
        "Origin", "https://evil.example"))).as("a bearer token is not sent by a browser on its own").isEqualTo(101);
    assertThat(handshakeStatus(firstMessage("/ws-headers"))).isEqualTo(401);
  }

  @Test
  void theWebSocketHandshakeIsScrubbedLikeAnyRequest() throws Exception {
    String first = firstMessage("/ws-headers", "Cookie", "gh_session=" + session + "; theme=dark", "Origin",
        "http://127.0.0.1:" + port(), "X-Gatehouse-Roles", "admin", "X_Gatehouse_Subject", "admin", "X-Original-URL", "/admin")
        .get(10, TimeUnit.SECONDS);
    JsonObject headers = new JsonObject(first);
    assertThat(headers.getString("x-gatehouse-subject")).isNotEqualTo("admin").isNotBlank();
    assertThat(headers.getString("x-gatehouse-auth")).isEqualTo("session");
    assertThat(headers.getString("x-gatehouse-roles")).as("the session's roles, not the client's").isEqualTo("user");
    assertThat(headers.getString("cookie")).isEqualTo("theme=dark");
    assertThat(headers.fieldNames()).doesNotContain("x_gatehouse_subject", "x-original-url");
    assertThat(headers.getString("upgrade")).isEqualToIgnoringCase("websocket");
  }

  @Test
  void anUpgradeRequestWithABodyIs400() throws Exception {
    refusedAndClosed("GET /ws HTTP/1.1\r\nHost: gw\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nContent-Length: 5\r\n\r\nhello", 400);
  }

  // ---------------------------------------------------------------- the pipeline's order

  @Test
  void theStagesAnswerInTheirOrder() throws Exception {
    int before = upstream.requests.get();
    // limits before the guard: a body too large for a closed route is 413, not 401
    assertThat(RawHttp.status(RawHttp.exchange(port(),
        "POST /closed/x HTTP/1.1\r\nHost: gw\r\nContent-Length: 4096\r\n\r\n"))).isEqualTo(413);
    // CORS before the route and the guard: a preflight of a closed route is answered here
    assertThat(RawHttp.status(RawHttp.exchange(port(), "OPTIONS /closed/x HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n"
        + "Origin: https://app.example.com\r\nAccess-Control-Request-Method: GET\r\n\r\n"))).isEqualTo(204);
    // the route (its path checks) before the guard
    assertThat(RawHttp.status(RawHttp.exchange(port(), "GET /closed/%2e%2e HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n")))
        .isEqualTo(400);
    assertThat(RawHttp.status(RawHttp.exchange(port(), "GET /nowhere HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n")))
        .isEqualTo(404);
    // and the guard before the upstream
    assertThat(RawHttp.status(RawHttp.exchange(port(), "GET /closed/x HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n")))
        .isEqualTo(401);
    assertThat(upstream.requests.get()).isEqualTo(before);
  }
}
