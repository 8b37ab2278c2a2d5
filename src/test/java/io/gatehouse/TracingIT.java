package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.Eventually;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.MutableClock;
import io.gatehouse.support.TestIssuer;
import io.gatehouse.support.TestUpstream;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans recorded through the real gateway with tracing export on, read back from the
 * OpenTelemetry SDK's in-memory exporter: a server span per request, child spans for the upstream
 * call, the store calls the guard makes and the key fetch a token with an unknown {@code kid}
 * causes, and the upstream's {@code traceparent} naming the upstream call as its parent.
 */
class TracingIT {

  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String CALLER_SPAN = "00f067aa0ba902b7";
  static final String PASSWORD = "correct horse battery staple";

  @TempDir
  static Path dir;
  static final InMemorySpanExporter spans = InMemorySpanExporter.create();
  static TestUpstream upstream;
  static TestIssuer issuer;
  static GatehouseFixture gateway;
  static final MutableClock clock = new MutableClock(Instant.now());

  @BeforeAll
  static void start() throws Exception {
    upstream = TestUpstream.start("up");
    issuer = TestIssuer.start(Files.createDirectories(dir.resolve("issuer")));
    gateway = GatehouseFixture.startTraced(Files.createDirectories(dir.resolve("data")), """
        signup: { rate_limit: [] }
        issuers:
          - { name: idp, issuer: "${ISSUER}", audience: api, ca_file: "${CA}", refetch_interval: 1s }
        routes:
          - { id: echo, path: /echo/**, upstream: "${UP}", auth: [none] }
          - { id: members, path: /members/**, upstream: "${UP}", auth: [session] }
          - { id: partners, path: /partners/**, upstream: "${UP}", auth: ["jwt:idp"] }
          - { id: down, path: /down, upstream: "http://127.0.0.1:1", auth: [none] }
        """, Map.of("UP", upstream.url(), "ISSUER", issuer.issuer(), "CA", issuer.caFile().toString()),
        clock, SimpleSpanProcessor.create(spans));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (issuer != null) {
      issuer.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  /** The finished spans of trace {@code traceId}, once one matching {@code until} is among them (waiting up to 5 s). */
  static List<SpanData> trace(String traceId, Predicate<SpanData> until) throws Exception {
    // The server span ends once the response is written, a moment after the client read it.
    return Eventually.read(
        () -> spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList(),
        found -> found.stream().anyMatch(until), Duration.ofSeconds(5));
  }

  /** The issuer's state among {@code /health/ready}'s notices: UP once its keys were fetched. */
  static String issuerState() throws Exception {
    JsonObject ready = new JsonObject(gateway.send(HttpRequest.newBuilder(gateway.management("/health/ready")).build())
        .body());
    return ready.getJsonObject("notices", new JsonObject()).getString("issuer:idp");
  }

  static SpanData server(List<SpanData> trace) {
    return trace.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
  }

  static List<SpanData> childrenOf(SpanData parent, List<SpanData> trace) {
    return trace.stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId())).toList();
  }

  static <T> T attribute(SpanData span, AttributeKey<T> key) {
    return span.getAttributes().get(key);
  }

  static Predicate<SpanData> isServer() {
    return s -> s.getKind() == SpanKind.SERVER;
  }

  @Test
  void aProxiedRequestIsAServerSpanWhoseUpstreamCallIsTheUpstreamsParent() throws Exception {
    HttpResponse<String> response = gateway.get("/echo/one",
        "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01", "tracestate", "congo=t61rcWkgMzE");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject seen = new JsonObject(response.body()).getJsonObject("headers");

    List<SpanData> trace = trace(TRACE_ID, isServer());
    SpanData server = server(trace);
    assertThat(server.getName()).isEqualTo("GET echo");
    assertThat(server.getParentSpanId()).isEqualTo(CALLER_SPAN);
    assertThat(server.getParentSpanContext().isRemote()).isTrue();
    assertThat(attribute(server, AttributeKey.stringKey("http.request.method"))).isEqualTo("GET");
    assertThat(attribute(server, AttributeKey.stringKey("http.route"))).isEqualTo("echo");
    assertThat(attribute(server, AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
    assertThat(attribute(server, AttributeKey.stringKey("gatehouse.caller.kind"))).isEqualTo("anonymous");
    assertThat(attribute(server, AttributeKey.stringKey("gatehouse.request_id")))
        .isEqualTo(response.headers().firstValue("x-request-id").orElseThrow());

    SpanData call = childrenOf(server, trace).stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst()
        .orElseThrow();
    assertThat(call.getName()).isEqualTo("GET");
    assertThat(attribute(call, AttributeKey.stringKey("server.address"))).isEqualTo("127.0.0.1");
    assertThat(attribute(call, AttributeKey.longKey("server.port"))).isEqualTo((long) upstream.port());
    assertThat(attribute(call, AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
    assertThat(seen.getString("traceparent")).isEqualTo("00-" + TRACE_ID + "-" + call.getSpanId() + "-01");
    assertThat(seen.getString("tracestate")).isEqualTo("congo=t61rcWkgMzE");
  }

  @Test
  void aTraceStartedHereIsRecordedAndItsIdGivenInProblems() throws Exception {
    HttpResponse<String> response = gateway.get("/down");
    assertThat(response.statusCode()).isEqualTo(502);
    String traceId = new JsonObject(response.body()).getString("trace_id");
    List<SpanData> trace = trace(traceId, isServer());
    SpanData server = server(trace);
    assertThat(server.getParentSpanContext().isValid()).as("a root span").isFalse();
    assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    SpanData call = childrenOf(server, trace).stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst()
        .orElseThrow();
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attribute(call, AttributeKey.stringKey("error.type"))).isEqualTo("connect");
    String requestId = response.headers().firstValue("x-request-id").orElseThrow();
    assertThat(gateway.accessLog.await(line -> requestId.equals(line.getString("request_id"))))
        .singleElement().satisfies(line -> assertThat(line.getString("trace_id")).isEqualTo(traceId));
  }

  @Test
  void theStoreCallsTheGuardWaitsOnAreChildrenOfItsRequest() throws Exception {
    String token = sessionOf("trudy");
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    HttpResponse<String> response = gateway.get("/members/x", "Authorization", "Bearer " + token,
        "traceparent", "00-" + traceId + "-b7ad6b7169203331-01");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<SpanData> trace = trace(traceId, isServer());
    SpanData server = server(trace);
    assertThat(attribute(server, AttributeKey.stringKey("gatehouse.caller.kind"))).isEqualTo("session");
    List<SpanData> children = childrenOf(server, trace);
    assertThat(children).extracting(SpanData::getName)
        .as("the session looked up, then its user in the lookup's callback")
        .contains("sessions.byTokenHash", "users.byId", "GET");
    assertThat(children).filteredOn(s -> s.getName().equals("sessions.byTokenHash")).singleElement()
        .satisfies(s -> {
          assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT);
          assertThat(attribute(s, AttributeKey.stringKey("db.system.name"))).isEqualTo("sqlite");
        });
  }

  @Test
  void aKeyFetchForAnUnknownKidIsAChildOfTheRequestThatCausedIt() throws Exception {
    Eventually.until("the first key fetch, at start, in the background", () -> "UP".equals(issuerState()),
        Duration.ofSeconds(10));
    clock.advance(Duration.ofMillis(1_100)); // past refetch_interval, the least time between two fetches for unknown kids
    issuer.rotate();
    String traceId = "11111111111111111111111111111111";
    HttpResponse<String> response = gateway.get("/partners/x",
        "Authorization", "Bearer " + issuer.token("svc", claims -> { }),
        "traceparent", "00-" + traceId + "-2222222222222222-01");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<SpanData> trace = trace(traceId, isServer());
    SpanData server = server(trace);
    assertThat(attribute(server, AttributeKey.stringKey("gatehouse.caller.kind"))).isEqualTo("jwt");
    assertThat(childrenOf(server, trace)).filteredOn(s -> s.getName().equals("jwks fetch")).singleElement()
        .satisfies(fetch -> {
          assertThat(fetch.getKind()).isEqualTo(SpanKind.CLIENT);
          assertThat(attribute(fetch, AttributeKey.stringKey("gatehouse.issuer"))).isEqualTo("idp");
          assertThat(fetch.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        });
  }

  @Test
  void aTraceTheCallerDidNotSampleIsNotRecordedButStillPassedOn() throws Exception {
    String traceId = "33333333333333333333333333333333";
    HttpResponse<String> response = gateway.get("/echo/unsampled", "traceparent",
        "00-" + traceId + "-" + CALLER_SPAN + "-00");
    String traceparent = new JsonObject(response.body()).getJsonObject("headers").getString("traceparent");
    assertThat(traceparent).matches("00-" + traceId + "-[0-9a-f]{16}-00").doesNotContain(CALLER_SPAN);
    // The next request's spans are exported once it is over, after the first's would have been.
    String next = new JsonObject(gateway.get("/echo/after").body()).getJsonObject("headers").getString("traceparent");
    assertThat(trace(next.substring(3, 35), isServer())).isNotEmpty();
    assertThat(spans.getFinishedSpanItems()).noneMatch(span -> span.getTraceId().equals(traceId));
  }

  /** A new account's session token, from signup and a JSON login. */
  static String sessionOf(String name) throws Exception {
    HttpResponse<String> signup = gateway.send(HttpRequest.newBuilder(gateway.http("/auth/signup"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", name).put("password", PASSWORD)
            .encode())).build());
    assertThat(signup.statusCode()).as(signup.body()).isEqualTo(201);
    HttpResponse<String> login = gateway.send(HttpRequest.newBuilder(gateway.http("/auth/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", name).put("password", PASSWORD)
            .encode())).build());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    return new JsonObject(login.body()).getString("session_token");
  }
}
