package io.gatehouse.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.jwk.JWKSet;
import io.gatehouse.config.Config;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.LimitsConfig;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.config.RouteSelector;
import io.gatehouse.gateway.FixedResponse;
import io.gatehouse.gateway.RouteTable;
import io.gatehouse.gateway.Routing;
import io.gatehouse.config.AuthKind;
import io.gatehouse.config.AuthMethod;
import io.gatehouse.guard.CsrfCheck;
import io.gatehouse.guard.Guards;
import io.gatehouse.guard.IssuerKeys;
import io.gatehouse.guard.JwtAuthenticator;
import io.gatehouse.guard.JwtVerifier;
import io.gatehouse.guard.RouteGuard;
import io.gatehouse.observability.AuditLog;
import io.gatehouse.ratelimit.LocalRateLimiter;
import io.gatehouse.ratelimit.RateLimitStage;
import io.gatehouse.ratelimit.RouteLimits;
import io.gatehouse.support.DiscardedAudit;
import io.gatehouse.support.FuzzKeys;
import io.gatehouse.support.LogCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Future;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the whole HTTP/1.1 request path without a socket: arbitrary bytes from a client into the
 * channel handlers a listener installs ({@link ExchangeHandler#addHttp1}: the request-head clock, Netty's
 * codec with the configured limits, the exchanges) and the real pipeline stages (request id behind
 * a trusted proxy, limits, CORS, routing, rate limits, a guard verifying JWTs with a real key set,
 * fixed answers and a body-reading endpoint).
 *
 * <p>Property: whatever the bytes, every answer is a well-formed status line that is not a server
 * failure (500, 502, 503, 504; 501 and 505 are RFC 9110's answers to an unknown method or version),
 * no exception escapes the handlers (none reaches the channel's end, none is logged as a failure),
 * and once the request timeout and the idle timeout have passed the connection is closed: nothing
 * hangs. Time is the channel's own, advanced by the test, so the check is exact and fast.
 */
@Timeout(10)
class HttpRequestFuzzTest {

  private static final String ISSUER = "https://gw.test";
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) [^\r\n]*\r\n");
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: (\\d+)\r\n");

  private static Pipeline pipeline;
  private static LimitsConfig limits;
  private static LogCapture failures;

  @BeforeAll
  static void assemble() throws Exception {
    Config config = new ConfigLoader(Map.of()).parse("""
        issuer: https://gw.test
        server:
          trusted_proxies: [10.0.0.0/8]
          limits: { max_header_bytes: 4096, max_body_bytes: 2048, request_timeout: 5s, idle_timeout: 20s }
        cors: { allowed_origins: [https://app.example.com], allow_credentials: true }
        routes:
          - { id: api, path: /api/**, respond: { status: 200, body: api }, auth: [jwt], scopes: [read] }
          - { id: limited, path: /limited/**, respond: { body: limited }, auth: [none],
              rate_limit: { key: ip, limit: 3, per: 1m } }
          - { id: hosted, path: /h/**, hosts: [a.example, "*.b.example"], respond: { body: hosted }, auth: [none] }
          - { id: posts, path: /form, methods: [POST, PUT], respond: { status: 201 }, auth: [none] }
          - { id: all, path: /**, respond: { body: hi }, auth: [none] }
        """, "fuzz.yaml");
    limits = config.server().limits();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AuditLog audit = DiscardedAudit.log();
    JWKSet keys = new JWKSet(FuzzKeys.ISSUER.toPublicJWK());
    JwtVerifier verifier = new JwtVerifier(ISSUER, List.of(), List.of("ES256"), true, "roles", new IssuerKeys() {
      @Override
      public JWKSet current() {
        return keys;
      }

      @Override
      public Future<JWKSet> refetch() {
        return Future.succeededFuture(keys);
      }
    }, (issuer, token) -> false, Clock.systemUTC());
    Origins origins = new Origins(config.issuer());
    Cors cors = new Cors(config.cors(), origins);
    Guards guards = new Guards(Map.of(), new JwtAuthenticator(verifier), Map.of(), ISSUER,
        new CsrfCheck(origins, cors, principal -> null), audit, Clock.systemUTC());
    LocalRateLimiter limiter = new LocalRateLimiter(Clock.systemUTC(), 10_000, registry);
    RateLimitStage.Factory limitStages = new RateLimitStage.Factory(limiter, audit, Clock.systemUTC());
    List<Route> routes = new ArrayList<>();
    for (RouteConfig route : config.routes()) {
      RouteGuard guard = guards.guard(route.id(), route.auth(), route.mtls(),
          RouteGuard.Policy.of(new RouteGuard.Access(route.roles(), route.scopes(), route.audience()), null));
      RouteLimits routeLimits = RouteLimits.of(route.id(), route.rateLimits() == null ? List.of() : route.rateLimits());
      routes.add(Route.of(route.selector()).ipLimits(limitStages.beforeGuard(route.id(), routeLimits)).guard(guard)
          .subjectLimits(limitStages.afterGuard(route.id(), routeLimits)).target(new FixedResponse(route.respond()))
          .build());
    }
    // A built-in endpoint reads the body whole: Content-Length, chunked, 100-continue and 413 all meet it.
    Endpoint echo = Endpoint.at("fuzz:echo", "/echo")
        .on(HttpMethod.POST, request -> Future.succeededFuture(Response.status(200)
            .body(Integer.toString(request.body().length).getBytes(StandardCharsets.US_ASCII), "text/plain").build()))
        .auth(AuthKind.NONE)
        .maxBodyBytes(1024)
        .build();
    routes.add(Route.of(RouteSelector.builtin(echo.id(), echo.path())).guard(guards.guard(echo.id(),
        List.of(AuthMethod.of(AuthKind.NONE)), null, RouteGuard.Policy.of(RouteGuard.Access.ANY, null)))
        .target(new EndpointTarget(echo))
        .methods(Set.of(HttpMethod.POST)).build());
    pipeline = Pipeline.builder().requestId(new RequestIdStage(new TrustedProxies(config.server().trustedProxies())))
        .limits(new RequestLimits(limits)).cors(cors)
        .routing(new Routing(new RouteTable<>(routes, Route::selector), List.of())).problems(new ProblemRenderer())
        .securityHeaders(new SecurityHeaders(0)).maxBodyBytes(limits.maxBodyBytes()).build();
    failures = new LogCapture("io.gatehouse");
  }

  @AfterAll
  static void detach() {
    failures.close();
  }

  /** A client connection from 10.1.2.3, a trusted proxy, so forwarding headers are read too. */
  private static EmbeddedChannel connection() {
    EmbeddedChannel channel = new EmbeddedChannel() {
      @Override
      protected SocketAddress remoteAddress0() {
        return new InetSocketAddress("10.1.2.3", 40000);
      }
    };
    channel.freezeTime();
    channel.pipeline().addLast("idle", new IdleStateHandler(limits.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
    ExchangeHandler.addHttp1(channel.pipeline(), () -> pipeline, limits, new Connection(channel, null, false));
    return channel;
  }

  @FuzzTest
  void requestBytes(byte[] input) {
    int before = failures.raw().size();
    EmbeddedChannel channel = connection();
    StringBuilder out = new StringBuilder();
    try {
      // The first byte says where the rest is split in two reads: heads and bodies arrive in pieces.
      int length = Math.max(0, input.length - 1);
      int split = input.length == 0 ? 0 : 1 + (input[0] & 0xff) * length / 256;
      channel.writeInbound(Unpooled.wrappedBuffer(input, Math.min(1, input.length), split - Math.min(1, input.length)));
      channel.runPendingTasks();
      if (channel.isOpen()) { // else the rest is what a closed socket no longer reads
        channel.writeInbound(Unpooled.wrappedBuffer(input, split, input.length - split));
        channel.runPendingTasks();
      }
      drain(channel, out);
      // The request timeout, the lingering close and the idle timeout all pass.
      for (int step = 0; step < 4 && channel.isOpen(); step++) {
        channel.advanceTimeBy(limits.requestTimeout().toMillis() + ExchangeHandler.LINGER_MILLIS + 1, TimeUnit.MILLISECONDS);
        channel.advanceTimeBy(limits.idleTimeout().toMillis() + 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
        drain(channel, out);
      }
      channel.checkException();
      assertThat(channel.isOpen()).as("closed once its timeouts have passed:\n%s", out).isFalse();
    } finally {
      channel.finishAndReleaseAll();
    }
    String responses = out.toString();
    List<Integer> statuses = statuses(responses);
    assertThat(statuses).as("no server failure:\n%s", responses).noneMatch(s -> s == 500 || s == 502 || s == 503 || s == 504);
    List<String> logged = failures.json().subList(before, failures.raw().size()).stream()
        .filter(line -> line.getString("level").equals("WARN") || line.getString("level").equals("ERROR"))
        .map(Object::toString).toList();
    assertThat(logged).as("nothing logged as a failure").isEmpty();
  }

  /**
   * The statuses of the responses in {@code out}, read one after the other: a status line, a head,
   * and a body of its {@code Content-Length} (none after a 1xx, 204 or 304, or an answer to HEAD).
   */
  private static List<Integer> statuses(String out) {
    List<Integer> statuses = new ArrayList<>();
    int at = 0;
    while (at < out.length()) {
      Matcher line = STATUS_LINE.matcher(out).region(at, out.length());
      assertThat(line.lookingAt()).as("a status line at %d of:\n%s", at, out).isTrue();
      int status = Integer.parseInt(line.group(1));
      statuses.add(status);
      int end = out.indexOf("\r\n\r\n", at);
      assertThat(end).as("a complete head at %d of:\n%s", at, out).isPositive();
      Matcher length = CONTENT_LENGTH.matcher(out.substring(at, end + 2));
      at = end + 4;
      boolean bodyless = status < 200 || status == 204 || status == 304 || out.startsWith("HTTP/1.1 ", at);
      if (!bodyless && length.find()) {
        at += Integer.parseInt(length.group(1));
      }
    }
    return statuses;
  }

  private static void drain(EmbeddedChannel channel, StringBuilder out) {
    Object message;
    while ((message = channel.readOutbound()) != null) {
      if (message instanceof ByteBuf bytes) {
        out.append(bytes.toString(StandardCharsets.ISO_8859_1));
        bytes.release();
      }
    }
  }
}
