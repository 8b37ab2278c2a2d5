package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.LogCapture;
import io.gatehouse.support.MutableClock;
import io.gatehouse.support.TestUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Route rate limits through the real gateway and a real upstream, on a clock the test moves: the
 * 429 and its headers, several limits on one route, each kind of key, the global default, the
 * built-in endpoints' limits, and a client address that spoofed forwarding headers cannot change.
 */
class RateLimitIT {

  @TempDir
  static Path dir;
  static final MutableClock clock = new MutableClock(Instant.now());
  static TestUpstream upstream;
  static GatehouseFixture gateway;
  static ECKey key;
  static LogCapture audit;

  @BeforeAll
  static void start() throws Exception {
    audit = new LogCapture("gatehouse.audit");
    upstream = TestUpstream.start("up");
    key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key).toPublicJWKSet().toString());
    gateway = GatehouseFixture.start(Files.createDirectories(dir.resolve("data")), """
        signup: { rate_limit: { key: ip, limit: 2, per: 1h } }
        rate_limits: { default: { key: ip, limit: 4, per: 1m } }
        issuers:
          - { name: local, issuer: local-issuer, audience: api, jwks_file: "${JWKS}" }
        routes:
          - { id: open, path: /open/**, upstream: "${UP}", auth: [none], rate_limit: { key: ip, limit: 3, per: 10s } }
          - id: two
            path: /two/**
            upstream: "${UP}"
            auth: [none]
            rate_limit: [{ key: ip, limit: 5, per: 1h }, { key: ip, limit: 2, per: 1s }]
          - { id: tenant, path: /tenant/**, upstream: "${UP}", auth: [none], rate_limit: { key: "header:X-Tenant", limit: 1, per: 1m } }
          - { id: everyone, path: /everyone/**, upstream: "${UP}", auth: [none], rate_limit: { key: route, limit: 2, per: 1m } }
          - { id: subject, path: /subject/**, upstream: "${UP}", auth: [jwt:local], rate_limit: { key: subject, limit: 2, per: 1m } }
          - { id: guarded, path: /guarded/**, upstream: "${UP}", auth: [jwt:local], rate_limit: { key: ip, limit: 2, per: 1m } }
          - { id: busy, path: /busy/**, upstream: "${UP}", auth: [none], rate_limit: { key: ip, limit: 50, per: 1m } }
          - { id: defaulted, path: /defaulted/**, upstream: "${UP}", auth: [none] }
          - { id: unlimited, path: /unlimited/**, upstream: "${UP}", auth: [none], rate_limit: [] }
        """, Map.of("UP", upstream.url(), "JWKS", jwks.toString()), clock);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (audit != null) {
      audit.close();
    }
  }

  /** Each test starts after every window of the one before has passed. */
  @BeforeEach
  void anotherDay() {
    clock.advance(Duration.ofDays(1));
  }

  @Test
  void theLimitThenA429WithRetryAfterAndTheHeadersOnEveryResponse() throws Exception {
    int before = upstream.requests.get();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> ok = gateway.get("/open/x");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.headers().firstValue("RateLimit-Limit")).hasValue("3");
      assertThat(ok.headers().firstValue("RateLimit-Remaining")).hasValue(String.valueOf(2 - i));
      assertThat(ok.headers().firstValue("RateLimit-Policy")).hasValue("3;w=10");
      assertThat(ok.headers().firstValue("RateLimit-Reset")).isPresent();
    }
    HttpResponse<String> refused = gateway.get("/open/x");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(refused.body()).contains("\"status\":429").contains("too-many-requests");
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 11L);
    assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");
    assertThat(refused.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(upstream.requests.get() - before).isEqualTo(3);
    assertThat(gateway.accessLog.await(line -> line.getInteger("status") == 429)).isNotEmpty();

    assertThat(audit.json()).anySatisfy(e -> {
      assertThat(e.getString("event")).isEqualTo("rate_limit.refused");
      assertThat(e.getString("detail")).contains("route=open", "limit=ip:3/10s");
      assertThat(e.getString("request_id")).isEqualTo(refused.headers().firstValue("X-Request-Id").orElseThrow());
    });

    clock.advance(Duration.ofSeconds(retryAfter));
    assertThat(gateway.get("/open/x").statusCode()).isEqualTo(200);
  }

  @Test
  void exactUnderConcurrentLoadFromBothEventLoops() throws Exception {
    var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
    for (int i = 0; i < 300; i++) {
      futures.add(gateway.client().sendAsync(HttpRequest.newBuilder(gateway.http("/busy/" + i)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    long admitted = futures.stream().map(java.util.concurrent.CompletableFuture::join)
        .filter(r -> r.statusCode() == 200).count();
    assertThat(admitted).isEqualTo(50);
  }

  @Test
  void spoofedForwardingHeadersFromAnUntrustedPeerDoNotDodgeAnIpLimit() throws Exception {
    int refused = 0;
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r = gateway.get("/open/spoof", "X-Forwarded-For", "198.51.100." + i,
          "Forwarded", "for=198.51.100." + i, "X-Real-IP", "198.51.100." + i);
      if (r.statusCode() == 429) {
        refused++;
      }
    }
    assertThat(refused).isEqualTo(3);
  }

  @Test
  void severalLimitsOnOneRouteTheShortestFirst() throws Exception {
    assertThat(gateway.get("/two/a").statusCode()).isEqualTo(200);
    HttpResponse<String> second = gateway.get("/two/a");
    assertThat(second.statusCode()).isEqualTo(200);
    // The tightest limit is the one reported: the per-second one has nothing left.
    assertThat(second.headers().firstValue("RateLimit-Policy")).hasValue("2;w=1");
    assertThat(gateway.get("/two/a").statusCode()).isEqualTo(429);
    clock.advance(Duration.ofSeconds(2));
    assertThat(gateway.get("/two/a").statusCode()).isEqualTo(200);
    assertThat(gateway.get("/two/a").statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(2));
    HttpResponse<String> fifth = gateway.get("/two/a");
    assertThat(fifth.statusCode()).isEqualTo(200);
    assertThat(fifth.headers().firstValue("RateLimit-Policy")).hasValue("5;w=3600");
    assertThat(fifth.headers().firstValue("RateLimit-Remaining")).hasValue("0");
    // The hourly limit is spent; the refused requests of the first second did not count against it.
    clock.advance(Duration.ofSeconds(2));
    HttpResponse<String> sixth = gateway.get("/two/a");
    assertThat(sixth.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(sixth.headers().firstValue("Retry-After").orElseThrow())).isGreaterThan(3000);
  }

  @Test
  void aHeaderKeyCountsEachValueAndRequestsWithoutItByAddress() throws Exception {
    assertThat(gateway.get("/tenant/x", "X-Tenant", "acme").statusCode()).isEqualTo(200);
    assertThat(gateway.get("/tenant/x", "X-Tenant", "acme").statusCode()).isEqualTo(429);
    assertThat(gateway.get("/tenant/x", "X-Tenant", "globex").statusCode()).isEqualTo(200);
    assertThat(gateway.get("/tenant/x").statusCode()).isEqualTo(200);
    assertThat(gateway.get("/tenant/x").statusCode()).isEqualTo(429);
    // A header value that looks like the address does not share the address's count.
    assertThat(gateway.get("/tenant/x", "X-Tenant", "127.0.0.1").statusCode()).isEqualTo(200);
  }

  @Test
  void aRouteKeyIsSharedByEveryone() throws Exception {
    assertThat(gateway.get("/everyone/x").statusCode()).isEqualTo(200);
    assertThat(gateway.get("/everyone/x", "X-Tenant", "a").statusCode()).isEqualTo(200);
    assertThat(gateway.get("/everyone/x").statusCode()).isEqualTo(429);
  }

  @Test
  void aSubjectKeyCountsEachCallerAfterTheGuard() throws Exception {
    String alice = "Bearer " + token("alice");
    String bob = "Bearer " + token("bob");
    assertThat(gateway.get("/subject/x", "Authorization", alice).statusCode()).isEqualTo(200);
    assertThat(gateway.get("/subject/x", "Authorization", alice).statusCode()).isEqualTo(200);
    HttpResponse<String> third = gateway.get("/subject/x", "Authorization", alice);
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(gateway.get("/subject/x", "Authorization", bob).statusCode()).isEqualTo(200);
    // Without a credential the guard answers first; the caller's count is untouched.
    assertThat(gateway.get("/subject/x").statusCode()).isEqualTo(401);
    assertThat(gateway.get("/subject/x", "Authorization", bob).statusCode()).isEqualTo(200);
  }

  @Test
  void anIpLimitRunsBeforeTheGuardAndItsHeadersAreOnA401() throws Exception {
    HttpResponse<String> first = gateway.get("/guarded/x");
    assertThat(first.statusCode()).isEqualTo(401);
    assertThat(first.headers().firstValue("RateLimit-Remaining")).hasValue("1");
    assertThat(gateway.get("/guarded/x", "Authorization", "Bearer junk").statusCode()).isEqualTo(401);
    // A flood of bad tokens is refused before any is verified.
    assertThat(gateway.get("/guarded/x", "Authorization", "Bearer " + token("carol")).statusCode()).isEqualTo(429);
  }

  @Test
  void theDefaultAppliesToRoutesWithoutTheirOwnAndAnEmptyListOptsOut() throws Exception {
    for (int i = 0; i < 4; i++) {
      assertThat(gateway.get("/defaulted/x").statusCode()).isEqualTo(200);
    }
    assertThat(gateway.get("/defaulted/x").statusCode()).isEqualTo(429);
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> r = gateway.get("/unlimited/x");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("RateLimit-Limit")).isEmpty();
    }
  }

  @Test
  void signupsAreLimitedPerAddressAndBuiltInEndpointsCarryTheirLimits() throws Exception {
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> created = signup("limited-" + i);
      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(created.headers().firstValue("RateLimit-Policy")).hasValue("2;w=3600");
    }
    HttpResponse<String> refused = signup("limited-2");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    // The built-in limit on every public endpoint: 600 a minute per address.
    assertThat(gateway.get("/.well-known/openid-configuration").headers().firstValue("RateLimit-Policy"))
        .hasValue("600;w=60");
  }

  @Test
  void connectionsBeyondThePerAddressLimitAreClosedWhenAccepted() throws Exception {
    try (GatehouseFixture small = GatehouseFixture.start(Files.createDirectories(dir.resolve("conns")),
        "routes: [{ id: r, path: /r, respond: { body: ok }, auth: [none] }]\n", Map.of("MAX_CONNECTIONS", "3"))) {
      java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          held.add(openAndAsk(small.gatehouse.httpPort()));
        }
        try (java.net.Socket fourth = new java.net.Socket("127.0.0.1", small.gatehouse.httpPort())) {
          fourth.setSoTimeout(5000);
          fourth.getOutputStream().write("GET /r HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
          assertThat(readOrClosed(fourth)).isEqualTo(-1);
        } catch (java.net.SocketException reset) {
          // closed before the request was written: refused just the same
        }
        held.remove(0).close();
        java.net.Socket again = null;
        for (int attempt = 0; attempt < 50 && again == null; attempt++) {
          try {
            again = openAndAsk(small.gatehouse.httpPort()); // the close is counted when the server sees it
          } catch (java.io.IOException notYet) {
            Thread.onSpinWait();
          }
        }
        assertThat(again).isNotNull();
        held.add(again);
      } finally {
        for (java.net.Socket socket : held) {
          socket.close();
        }
      }
    }
  }

  /** A connection that has had one request answered, and stays open. */
  private static java.net.Socket openAndAsk(int port) throws java.io.IOException {
    java.net.Socket socket = new java.net.Socket("127.0.0.1", port);
    socket.setSoTimeout(5000);
    socket.getOutputStream().write("GET /r HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
    if (readOrClosed(socket) < 0) {
      socket.close();
      throw new java.io.IOException("closed");
    }
    return socket;
  }

  private static int readOrClosed(java.net.Socket socket) throws java.io.IOException {
    try {
      return socket.getInputStream().read(new byte[4096]);
    } catch (java.net.SocketException reset) {
      return -1;
    }
  }

  private static HttpResponse<String> signup(String name) throws Exception {
    return gateway.send(HttpRequest.newBuilder(gateway.http("/auth/signup"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"username\":\"" + name + "\",\"password\":\"correct horse battery staple\"}"))
        .build());
  }

  private static String token(String subject) throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("local-issuer").audience("api").subject(subject)
        .issueTime(Date.from(clock.instant())).expirationTime(Date.from(clock.instant().plusSeconds(3600))).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").type(JOSEObjectType.JWT).build(),
        claims);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }
}
