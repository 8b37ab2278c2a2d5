package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.MutableClock;
import io.gatehouse.support.RawHttp;
import io.gatehouse.support.TestUpstream;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream protection against real upstreams: circuit breakers per target (a closed port, an
 * upstream answering 503), judged by a clock the test moves, and {@code max_in_flight} with
 * requests an upstream holds until the test lets them go.
 */
class UpstreamProtectionIT {

  static TestUpstream good;
  static TestUpstream sick;
  static TestUpstream alwaysSick;
  static TestUpstream alsoSick;
  static TestUpstream holder;
  static int closedPort;
  static final MutableClock clock = new MutableClock(Instant.now());
  static GatehouseFixture gateway;

  @BeforeAll
  static void start(@TempDir Path data) throws Exception {
    good = TestUpstream.start("good");
    sick = TestUpstream.start("sick");
    alwaysSick = TestUpstream.start("always-sick");
    alwaysSick.status = 503;
    alsoSick = TestUpstream.start("also-sick");
    alsoSick.status = 503;
    holder = TestUpstream.start("holder");
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    gateway = GatehouseFixture.start(data, """
        routes:
          - id: down
            path: /down/**
            strip_prefix: /down
            upstream: { targets: ["${GOOD}", "http://127.0.0.1:${CLOSED}"], circuit_breaker: { failures: 3, open_for: 30s } }
            auth: [none]
          - id: flaky
            path: /flaky/**
            strip_prefix: /flaky
            upstream: { targets: ["${GOOD}", "${SICK}"], circuit_breaker: { failures: 2, open_for: 10s } }
            auth: [none]
          - id: all-down
            path: /all-down/**
            upstream: { targets: ["${ALWAYS_SICK}", "${ALSO_SICK}"], circuit_breaker: { failures: 1, open_for: 20s } }
            auth: [none]
          - id: limited
            path: /limited/**
            strip_prefix: /limited
            upstream: { targets: ["${HOLDER}"], max_in_flight: 2 }
            auth: [none]
          - id: tight
            path: /tight/**
            strip_prefix: /tight
            upstream: { targets: ["${HOLDER}"], max_in_flight: 1 }
            timeout: 300ms
            auth: [none]
          - id: sockets
            path: /ws
            upstream: { targets: ["${GOOD}"], max_in_flight: 1 }
            auth: [none]
        """, Map.of("GOOD", good.url(), "SICK", sick.url(), "ALWAYS_SICK", alwaysSick.url(), "ALSO_SICK", alsoSick.url(), "HOLDER", holder.url(),
        "CLOSED", Integer.toString(closedPort)), clock);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    good.close();
    sick.close();
    alwaysSick.close();
    alsoSick.close();
    holder.close();
  }

  // ---------------------------------------------------------------- circuit breakers

  @Test
  void aTargetRefusingConnectionsIsPassedOverOnceItsBreakerOpensAndAFailedProbeReopensIt() throws Exception {
    String down = "127.0.0.1:" + closedPort;
    int failures = 0;
    for (int sent = 0; sent < 20 && failures < 3; sent++) {
      HttpResponse<String> response = gateway.get("/down/x");
      if (response.statusCode() == 502) {
        failures++;
      } else {
        assertThat(name(response)).isEqualTo("good");
      }
    }
    assertThat(failures).isEqualTo(3);
    for (int i = 0; i < 10; i++) {
      assertThat(name(gateway.get("/down/x"))).as("request %d after the breaker opened", i).isEqualTo("good");
    }
    assertThat(metric("gatehouse_upstream_circuit", "route", "down", "target", down)).isEqualTo(1.0);
    assertThat(metric("gatehouse_upstream_circuit", "route", "down", "target", "127.0.0.1:" + good.port()))
        .isEqualTo(0.0);
    assertThat(metric("gatehouse_upstream_circuit_transitions_total", "route", "down", "target", down,
        "state", "open")).isEqualTo(1.0);
    HttpResponse<String> ready = gateway.send(HttpRequest.newBuilder(gateway.management("/health/ready")).build());
    assertThat(ready.statusCode()).as("an open breaker does not fail readiness").isEqualTo(200);
    JsonObject notices = new JsonObject(ready.body()).getJsonObject("notices");
    assertThat(notices.getString("upstream:down:" + down)).isEqualTo("open");
    assertThat(notices.getString("upstream:down:127.0.0.1:" + good.port())).isEqualTo("closed");

    clock.advance(Duration.ofSeconds(31));
    assertThat(readyNotice("upstream:down:" + down)).isEqualTo("half_open");
    int probes = 0;
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> response = gateway.get("/down/x");
      if (response.statusCode() == 502) {
        probes++;
      } else {
        assertThat(name(response)).isEqualTo("good");
      }
    }
    assertThat(probes).as("one probe, which failed and opened the breaker again").isEqualTo(1);
    assertThat(readyNotice("upstream:down:" + down)).isEqualTo("open");
    assertThat(metric("gatehouse_upstream_circuit_transitions_total", "route", "down", "target", down,
        "state", "open")).isEqualTo(2.0);
    assertThat(metric("gatehouse_upstream_circuit_transitions_total", "route", "down", "target", down,
        "state", "half_open")).isEqualTo(1.0);
  }

  @Test
  void aTargetAnswering503OpensAndASuccessfulProbeClosesIt() throws Exception {
    String flaky = "127.0.0.1:" + sick.port();
    sick.status = 503;
    int failures = 0;
    for (int sent = 0; sent < 20 && failures < 2; sent++) {
      HttpResponse<String> response = gateway.get("/flaky/x");
      if (response.statusCode() == 503) {
        assertThat(response.body()).as("the upstream's own 503 is relayed").isEqualTo("sick answers 503");
        failures++;
      } else {
        assertThat(name(response)).isEqualTo("good");
      }
    }
    assertThat(failures).isEqualTo(2);
    int sickSeen = sick.requests.get();
    for (int i = 0; i < 10; i++) {
      assertThat(name(gateway.get("/flaky/x"))).isEqualTo("good");
    }
    assertThat(sick.requests.get()).as("no request reaches an open target").isEqualTo(sickSeen);
    assertThat(metric("gatehouse_upstream_circuit", "route", "flaky", "target", flaky)).isEqualTo(1.0);

    sick.status = 0;
    clock.advance(Duration.ofSeconds(10));
    boolean probed = false;
    for (int i = 0; i < 10 && !probed; i++) {
      probed = name(gateway.get("/flaky/x")).equals("sick");
    }
    assertThat(probed).isTrue();
    assertThat(readyNotice("upstream:flaky:" + flaky)).isEqualTo("closed");
    assertThat(metric("gatehouse_upstream_circuit", "route", "flaky", "target", flaky)).isEqualTo(0.0);
    assertThat(metric("gatehouse_upstream_circuit_transitions_total", "route", "flaky", "target", flaky,
        "state", "closed")).isEqualTo(1.0);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      names.add(name(gateway.get("/flaky/x")));
    }
    assertThat(names).as("round robin over both again").containsExactlyInAnyOrder("good", "sick");
  }

  @Test
  void withEveryTargetOpenTheAnswerIs503WithRetryAfterAndNoUpstreamIsAsked() throws Exception {
    // failures: 1, so each target opens on its first failure, and the round robin passes over it.
    Set<String> answered = new HashSet<>();
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> relayed = gateway.get("/all-down/x");
      assertThat(relayed.statusCode()).isEqualTo(503);
      answered.add(relayed.body());
    }
    assertThat(answered).containsExactlyInAnyOrder("always-sick answers 503", "also-sick answers 503");
    assertThat(metric("gatehouse_upstream_circuit", "route", "all-down", "target", "127.0.0.1:" + alwaysSick.port()))
        .isEqualTo(1.0);
    assertThat(metric("gatehouse_upstream_circuit", "route", "all-down", "target", "127.0.0.1:" + alsoSick.port()))
        .isEqualTo(1.0);
    int asked = alwaysSick.requests.get() + alsoSick.requests.get();

    HttpResponse<String> refused = gateway.get("/all-down/x");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("20");
    JsonObject problem = new JsonObject(refused.body());
    assertThat(problem.getString("type")).isEqualTo("urn:gatehouse:problem:upstream-unavailable");
    assertThat(problem.getInteger("status")).isEqualTo(503);
    assertThat(problem.getString("request_id")).isEqualTo(refused.headers().firstValue("X-Request-Id").orElseThrow());

    clock.advance(Duration.ofMillis(14_500));
    assertThat(gateway.get("/all-down/x").headers().firstValue("Retry-After")).as("5.5 s, rounded up").hasValue("6");
    assertThat(alwaysSick.requests.get() + alsoSick.requests.get()).isEqualTo(asked);
    assertThat(metric("gatehouse_upstream_rejected_total", "route", "all-down", "reason", "circuit_open"))
        .isEqualTo(2.0);
  }

  // ---------------------------------------------------------------- max_in_flight

  @Test
  void beyondMaxInFlightTheAnswerIs503AtOnceAndPlacesFreeWhenRequestsEnd() throws Exception {
    double rejectedBefore = metric("gatehouse_upstream_rejected_total", "route", "limited", "reason", "max_in_flight");
    List<CompletableFuture<HttpResponse<String>>> slow = holdTwo();
    int asked = holder.requests.get();
    HttpResponse<String> refused = gateway.get("/limited/x");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(new JsonObject(refused.body()).getString("type")).isEqualTo("urn:gatehouse:problem:upstream-busy");
    assertThat(holder.requests.get()).as("refused without queueing or contacting the upstream").isEqualTo(asked);
    assertThat(metric("gatehouse_upstream_in_flight", "route", "limited")).isEqualTo(2.0);
    assertThat(metric("gatehouse_upstream_rejected_total", "route", "limited", "reason", "max_in_flight"))
        .isEqualTo(rejectedBefore + 1);

    holder.releaseHeld();
    for (CompletableFuture<HttpResponse<String>> response : slow) {
      assertThat(response.get(10, TimeUnit.SECONDS).body()).isEqualTo("released");
    }
    assertThat(metric("gatehouse_upstream_in_flight", "route", "limited")).isEqualTo(0.0);
    assertThat(name(gateway.get("/limited/x"))).isEqualTo("holder");
    List<CompletableFuture<HttpResponse<String>>> again = holdTwo();
    holder.releaseHeld();
    for (CompletableFuture<HttpResponse<String>> response : again) {
      assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void clientsThatLeaveGiveTheirPlacesBack() throws Exception {
    List<RawHttp> clients = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      RawHttp client = new RawHttp(gateway.gatehouse.httpPort());
      client.write("GET /limited/hold HTTP/1.1\r\nHost: x\r\n\r\n");
      clients.add(client);
    }
    assertThat(holder.held.tryAcquire(2, 10, TimeUnit.SECONDS)).isTrue();
    assertThat(gateway.get("/limited/x").statusCode()).isEqualTo(503);
    for (RawHttp client : clients) {
      client.close();
    }
    // The gateway gives the place back, then closes its upstream connection: once the upstream
    // sees both closes, both places are free.
    assertThat(holder.heldGone.tryAcquire(2, 10, TimeUnit.SECONDS)).isTrue();
    assertThat(metric("gatehouse_upstream_in_flight", "route", "limited")).isEqualTo(0.0);
    List<CompletableFuture<HttpResponse<String>>> again = holdTwo();
    holder.releaseHeld();
    for (CompletableFuture<HttpResponse<String>> response : again) {
      assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void anUpstreamTimeoutGivesThePlaceBack() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(gateway.get("/tight/slow").statusCode()).isEqualTo(504);
    }
    assertThat(name(gateway.get("/tight/x"))).isEqualTo("holder");
    assertThat(metric("gatehouse_upstream_in_flight", "route", "tight")).isEqualTo(0.0);
  }

  @Test
  void aWebSocketGivesItsPlaceBackOnceItsTunnelStarts() throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    WebSocket socket = gateway.client().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + gateway.gatehouse.httpPort() + "/ws"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            received.complete(data.toString());
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    socket.sendText("still open", true);
    assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("still open");
    // max_in_flight: 1, and the tunnel is open: a plain request still passes.
    assertThat(name(gateway.get("/ws"))).isEqualTo("good");
    assertThat(metric("gatehouse_upstream_in_flight", "route", "sockets")).isEqualTo(0.0);
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
  }

  // ---------------------------------------------------------------- helpers

  /** Two requests the holder keeps, once both have reached it. */
  private static List<CompletableFuture<HttpResponse<String>>> holdTwo() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      responses.add(gateway.client().sendAsync(HttpRequest.newBuilder(gateway.http("/limited/hold"))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    assertThat(holder.held.tryAcquire(2, 10, TimeUnit.SECONDS)).as("both requests reached the upstream").isTrue();
    return responses;
  }

  private static String name(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getString("name");
  }

  private static String readyNotice(String name) throws Exception {
    HttpResponse<String> ready = gateway.send(HttpRequest.newBuilder(gateway.management("/health/ready")).build());
    return new JsonObject(ready.body()).getJsonObject("notices").getString(name);
  }

  /** The value of the Prometheus sample {@code name} with these label pairs, or NaN when there is none. */
  private static double metric(String name, String... labels) throws Exception {
    String text = gateway.send(HttpRequest.newBuilder(gateway.management("/metrics")).build()).body();
    return text.lines()
        .filter(line -> line.startsWith(name + "{"))
        .filter(line -> {
          for (int i = 0; i < labels.length; i += 2) {
            if (!line.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
              return false;
            }
          }
          return true;
        })
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(Double.NaN);
  }
}
