package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private final ConfigLoader loader = new ConfigLoader(Map.of("UPSTREAM_PORT", "9001", "EMPTY", ""));

  private List<String> errors(String yaml) {
    try {
      loader.parse(yaml, "g.yaml");
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected config errors for:\n" + yaml);
  }

  @Test
  void emptyFileGivesTheDocumentedDefaults() throws Exception {
    Config config = loader.parse("", "g.yaml");
    assertThat(config.server().http().port()).isEqualTo(8080);
    assertThat(config.server().https().port()).isEqualTo(8443);
    assertThat(config.management().listener().host()).isEqualTo("127.0.0.1");
    assertThat(config.management().listener().port()).isEqualTo(9090);
    assertThat(config.server().limits().maxHeaderBytes()).isEqualTo(16384);
    assertThat(config.server().limits().maxBodyBytes()).isEqualTo(1048576);
    assertThat(config.store().dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.routes()).isEmpty();
    assertThat(config.issuer().toString()).isEqualTo("https://localhost:8443");
    assertThat(config.tracing()).isEqualTo(TracingConfig.NONE);
    assertThat(config.tracing().exports()).isFalse();
  }

  @Test
  void tracingExportIsReadAndChecked() throws Exception {
    TracingConfig tracing = loader.parse(
        "tracing: { export: otlp, endpoint: \"http://collector:4318/v1/traces\", sample_ratio: 0.25 }", "g.yaml")
        .tracing();
    assertThat(tracing.exports()).isTrue();
    assertThat(tracing.endpoint()).hasToString("http://collector:4318/v1/traces");
    assertThat(tracing.sampleRatio()).isEqualTo(0.25);
    assertThat(loader.parse("tracing: { export: otlp }", "g.yaml").tracing().endpoint())
        .isEqualTo(TracingConfig.DEFAULT_ENDPOINT);
    assertThat(errors("tracing: { export: zipkin }")).singleElement().asString()
        .isEqualTo("g.yaml:1: tracing.export: 'zipkin' (expected: none or otlp)");
    assertThat(errors("tracing:\n  endpoint: grpc://collector:4317\n")).singleElement().asString()
        .startsWith("g.yaml:2: tracing.endpoint: 'grpc://collector:4317' (expected: an http:// or https:// URL)");
    assertThat(errors("tracing: { sample_ratio: 0 }")).singleElement().asString()
        .contains("tracing.sample_ratio: '0' (expected: a decimal number above 0 and at most 1");
    assertThat(errors("tracing: { sample_ratio: 1.5, exporter: otlp }")).hasSize(2);
    assertThat(tracing.followCaller()).as("a caller's sampled flag is followed by default").isTrue();
    assertThat(loader.parse("tracing: { caller_sampled: ignore }", "g.yaml").tracing().followCaller()).isFalse();
    assertThat(errors("tracing: { caller_sampled: always }")).singleElement().asString()
        .isEqualTo("g.yaml:1: tracing.caller_sampled: 'always' (expected: follow or ignore)");
  }

  @Test
  void readsAFullRouteAndSubstitutesEnvironment() throws Exception {
    Config config = loader.parse("""
        server:
          limits: { max_body_bytes: 2GiB, request_timeout: 500ms }
          trusted_proxies: [10.0.0.0/8, "::1"]
        cors: { allowed_origins: [https://app.example.com], allow_credentials: true }
        routes:
          - id: books
            path: /api/books/**
            methods: [GET, POST]
            hosts: [api.example.com, "*.example.org"]
            upstream: { targets: ["http://127.0.0.1:${UPSTREAM_PORT}", "http://127.0.0.1:${OTHER_PORT:-9002}/v1"], connect_timeout: 2s }
            strip_prefix: /api
            timeout: 10s
            auth: [none]
        """, "g.yaml");
    RouteConfig route = config.routes().get(0);
    assertThat(route.methods()).containsExactlyInAnyOrder("GET", "POST");
    assertThat(route.upstream().targets()).extracting(Object::toString)
        .containsExactly("http://127.0.0.1:9001", "http://127.0.0.1:9002/v1");
    assertThat(route.upstream().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(route.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(route.isOpen()).isTrue();
    assertThat(config.server().limits().maxBodyBytes()).isEqualTo(2L * 1024 * 1024 * 1024);
    assertThat(config.server().limits().requestTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.server().trustedProxies()).hasSize(2);
  }

  @Test
  void upstreamProtectionIsOffUnlessConfiguredAndHasDocumentedDefaults() throws Exception {
    Config config = loader.parse("""
        routes:
          - { id: plain, path: /a, upstream: "http://127.0.0.1:1", auth: [none] }
          - { id: defaults, path: /b, upstream: { targets: ["http://127.0.0.1:1"], circuit_breaker: {} }, auth: [none] }
          - id: full
            path: /c
            upstream:
              targets: ["http://127.0.0.1:1", "http://127.0.0.1:2"]
              max_in_flight: 50
              circuit_breaker: { failures: 3, failure_rate: 0.25, window: 1m, min_calls: 40, open_for: 5s, half_open_probes: 2 }
            auth: [none]
        """, "g.yaml");
    UpstreamConfig plain = config.routes().get(0).upstream();
    assertThat(plain.limitsInFlight()).isFalse();
    assertThat(plain.maxInFlight()).isEqualTo(UpstreamConfig.UNLIMITED);
    assertThat(plain.circuitBreaker()).isNull();
    CircuitBreakerConfig defaults = config.routes().get(1).upstream().circuitBreaker();
    assertThat(defaults).isEqualTo(CircuitBreakerConfig.DEFAULTS);
    assertThat(defaults.failures()).isEqualTo(5);
    assertThat(defaults.openFor()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.halfOpenProbes()).isEqualTo(1);
    assertThat(defaults.watchesRate()).isFalse();
    UpstreamConfig full = config.routes().get(2).upstream();
    assertThat(full.maxInFlight()).isEqualTo(50);
    assertThat(full.circuitBreaker()).isEqualTo(new CircuitBreakerConfig(3, 0.25, Duration.ofMinutes(1), 40,
        Duration.ofSeconds(5), 2));
  }

  @Test
  void upstreamProtectionValuesAreChecked() {
    String route = "routes: [{id: a, path: /a, auth: [none], upstream: {targets: [\"http://127.0.0.1:1\"], %s}}]";
    assertThat(errors(route.formatted("max_in_flight: 0"))).singleElement().asString()
        .startsWith("g.yaml:1: routes[0].upstream.max_in_flight: 0 (expected: 1..10000000)");
    assertThat(errors(route.formatted("circuit_breaker: {failure_rate: 1.5}"))).singleElement().asString()
        .contains("routes[0].upstream.circuit_breaker.failure_rate: '1.5' (expected: a decimal number above 0 and at most 1");
    assertThat(errors(route.formatted("circuit_breaker: {failure_rate: 50%}"))).singleElement().asString()
        .contains("failure_rate: '50%'");
    assertThat(errors(route.formatted("circuit_breaker: {failure_rate: 0}"))).singleElement().asString()
        .contains("failure_rate: '0'");
    assertThat(errors(route.formatted("circuit_breaker: {window: 10s}"))).singleElement().asString()
        .contains("circuit_breaker.window: only applies with failure_rate");
    assertThat(errors(route.formatted("circuit_breaker: {failures: 0, open_for: 0s, half_open_probes: -1}")))
        .hasSize(3);
    assertThat(errors(route.formatted("circuit_breaker: {failures: 3, trip_after: 2}"))).singleElement().asString()
        .contains("circuit_breaker.trip_after: unknown key");
    assertThat(errors(route.formatted("circuit_breaker: 5"))).singleElement().asString()
        .contains("circuit_breaker: expected a mapping");
  }

  @Test
  void rateLimitsAndTheSharedStore() throws Exception {
    Config config = new ConfigLoader(Map.of("PGPASSWORD", "s3cret")).parse("""
        store:
          postgres: { url: "jdbc:postgresql://db.internal:5432/gatehouse", user: gh, password: "${PGPASSWORD}" }
        rate_limits:
          default: [{ key: ip, limit: 100, per: 1h }, { key: "header:X-Tenant", limit: 5, per: 1s }]
          login_failures: { account: 3 }
        server: { client_header: forwarded }
        routes:
          - { id: r, path: /r, respond: { body: x }, auth: [none], rate_limit: [] }
        """, "s.yaml");
    assertThat(config.store().isShared()).isTrue();
    assertThat(config.store().postgres().password().reveal()).isEqualTo("s3cret");
    assertThat(config.store().postgres().toString()).doesNotContain("s3cret");
    assertThat(config.rateLimits().defaults()).extracting(Object::toString)
        .containsExactly("header:x-tenant:5/1s", "ip:100/3600s");
    assertThat(config.rateLimits().login()).isEqualTo(new RateLimitsConfig.FreeFailures(20, 3));
    assertThat(config.rateLimits().builtin()).hasSize(1);
    assertThat(config.routes().get(0).rateLimits()).isEmpty();
    assertThat(config.server().forwardedHeader()).isTrue();
    assertThat(errors("""
        store: { postgres: { url: "jdbc:postgresql://db/gh?password=leaked", user: gh } }
        rate_limits: { default: [{ key: ip, limit: 0, per: 1s }, { key: who, limit: 1, per: 2d }, { limit: 1 }] }
        server: { client_header: x-real-ip }
        """)).anySatisfy(p -> assertThat(p).contains("store.postgres.url").contains("carries a password")
            .doesNotContain("leaked"))
        .anySatisfy(p -> assertThat(p).contains("limit"))
        .anySatisfy(p -> assertThat(p).contains("'who'"))
        .anySatisfy(p -> assertThat(p).contains("from 1s to 1d"))
        .anySatisfy(p -> assertThat(p).contains("key is required"))
        .anySatisfy(p -> assertThat(p).contains("client_header"));
  }

  @Test
  void routeWithoutAuthAdmitsNobody() throws Exception {
    Config config = loader.parse("routes: [{id: a, path: /a, respond: {body: x}}]", "g.yaml");
    assertThat(config.routes().get(0).auth()).isEmpty();
    assertThat(config.routes().get(0).isOpen()).isFalse();
  }

  @Test
  void unknownKeyIsReportedWithFileLineAndPath() {
    assertThat(errors("server:\n  http:\n    prot: 80\n"))
        .singleElement().asString().startsWith("g.yaml:3: server.http.prot: unknown key");
  }

  @Test
  void everyErrorIsReportedAtOnce() {
    List<String> errors = errors("""
        server:
          http: { port: 70000 }
          limits: { idle_timeout: 10 }
        management: { port: abc }
        routes:
          - { id: a, path: /a, upstream: "ftp://x", auth: [none] }
          - { id: a, path: /b, respond: {}, timeout: 0s, auth: [none] }
        """);
    assertThat(errors).hasSize(6);
    assertThat(errors).anyMatch(e -> e.startsWith("g.yaml:2: server.http.port: 70000 (expected: 0..65535)"));
    assertThat(errors).anyMatch(e -> e.startsWith("g.yaml:3: server.limits.idle_timeout: '10' (expected: a duration"));
    assertThat(errors).anyMatch(e -> e.startsWith("g.yaml:4: management.port: 'abc'"));
    assertThat(errors).anyMatch(e -> e.startsWith("g.yaml:6: routes[0].upstream: 'ftp://x' (expected: an http:// or https:// URL)"));
    assertThat(errors).anyMatch(e -> e.startsWith("g.yaml:7: routes[1].id: duplicate route id 'a' (first defined at line 6)"));
    assertThat(errors).anyMatch(e -> e.startsWith("g.yaml:7: routes[1].timeout: 0s (expected: more than 0)"));
  }

  @Test
  void durationsHaveNoArtificialFloors() throws Exception {
    Config config = loader.parse("""
        sessions: { idle_timeout: 5s, absolute_timeout: 10s }
        server: { limits: { request_timeout: 20ms, idle_timeout: 1s } }
        routes: [{ id: a, path: /a, upstream: "http://127.0.0.1:1", timeout: 1ms, auth: [none] }]
        """, "g.yaml");
    assertThat(config.sessions().idleTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.server().limits().requestTimeout()).isEqualTo(Duration.ofMillis(20));
    assertThat(config.routes().get(0).timeout()).isEqualTo(Duration.ofMillis(1));
    assertThat(errors("sessions: { idle_timeout: 0s }")).singleElement().asString().contains("more than 0");
  }

  @Test
  void shutdownHasDocumentedDefaultsAndAZeroDelayButNoZeroTimeout() throws Exception {
    assertThat(loader.parse("", "g.yaml").shutdown())
        .isEqualTo(new ShutdownConfig(Duration.ofSeconds(5), Duration.ofSeconds(30)));
    assertThat(loader.parse("shutdown: { delay: 0s, timeout: 250ms }", "g.yaml").shutdown())
        .isEqualTo(new ShutdownConfig(Duration.ZERO, Duration.ofMillis(250)));
    assertThat(errors("shutdown:\n  timeout: 0s\n")).singleElement().asString()
        .isEqualTo("g.yaml:2: shutdown.timeout: 0s (expected: more than 0)");
    assertThat(errors("shutdown: { delay: soon }")).singleElement().asString()
        .startsWith("g.yaml:1: shutdown.delay: 'soon' (expected: a duration");
    assertThat(errors("shutdown: { grace: 5s }")).singleElement().asString()
        .startsWith("g.yaml:1: shutdown.grace: unknown key (expected one of: delay, timeout)");
  }

  @Test
  void dataPlaneSettings() throws Exception {
    Config config = loader.parse("""
        server: { transport: io_uring, hosts: [api.example.com, "*.Example.org"], limits: { max_concurrent_streams: 8 } }
        routes: [{ id: a, path: /a, upstream: "http://127.0.0.1:1", auth: [session, api_key], forward_credentials: true }]
        """, "g.yaml");
    assertThat(config.server().transport()).isEqualTo(TransportKind.IO_URING);
    assertThat(config.server().hosts()).containsExactly("api.example.com", "*.example.org");
    assertThat(config.server().limits().maxConcurrentStreams()).isEqualTo(8);
    assertThat(config.routes().get(0).authKinds()).containsExactly(io.gatehouse.config.AuthKind.SESSION, io.gatehouse.config.AuthKind.API_KEY);
    assertThat(config.routes().get(0).forwardCredentials()).isTrue();
    assertThat(loader.parse("", "g").server().transport()).isEqualTo(TransportKind.AUTO);
    assertThat(loader.parse("", "g").routes()).isEmpty();
    assertThat(errors("server: { transport: dpdk }")).singleElement().asString().contains("one of auto, epoll, io_uring, nio");
    assertThat(errors("server: { hosts: ['bad host'] }")).singleElement().asString().contains("server.hosts[0]");
  }

  @Test
  void methodsAreCaseSensitiveAndLimitedToTheServedOnes() {
    assertThat(errors("routes: [{id: a, path: /a, methods: [get], respond: {}, auth: [none]}]")).singleElement().asString()
        .contains("routes[0].methods[0]: 'get'").contains("case-sensitive");
    assertThat(errors("routes: [{id: a, path: /a, methods: [TRACE], respond: {}, auth: [none]}]")).singleElement().asString()
        .contains("routes[0].methods[0]: 'TRACE'");
    assertThat(errors("routes: [{id: a, path: /a, respond: {}, auth: [session, session]}]")).singleElement().asString()
        .contains("lists a kind twice");
  }

  @Test
  void readsIssuersAndRouteAccess() throws ConfigException {
    Config config = new ConfigLoader(Map.of()).parse("""
        issuers:
          - { name: okta, issuer: "https://id.example.com/oauth2/default", audience: api://default }
          - { name: local, issuer: bench, audience: [a, b], algorithms: [ES384], jwks_file: /etc/keys.json,
              roles_claim: realm_access.roles, cache_duration: 1h, refetch_interval: 10s }
        routes:
          - { id: a, path: /a/**, upstream: "http://127.0.0.1:1", auth: [jwt:okta, jwt, session],
              roles: [editor], scopes: ["books:read", "api://x/.default"], audience: books }
        """, "t.yaml");
    IssuerConfig okta = config.issuers().get(0);
    assertThat(okta.discovers()).isTrue();
    assertThat(okta.algorithms()).containsExactly("ES256", "RS256");
    assertThat(okta.cacheDuration()).hasMinutes(10);
    IssuerConfig local = config.issuers().get(1);
    assertThat(local.audience()).containsExactly("a", "b");
    assertThat(local.jwksFile()).hasToString("/etc/keys.json");
    assertThat(local.rolesClaim()).isEqualTo("realm_access.roles");
    RouteConfig route = config.routes().get(0);
    assertThat(route.auth()).containsExactly(new io.gatehouse.config.AuthMethod(io.gatehouse.config.AuthKind.JWT, "okta"),
        io.gatehouse.config.AuthMethod.of(io.gatehouse.config.AuthKind.JWT),
        io.gatehouse.config.AuthMethod.of(io.gatehouse.config.AuthKind.SESSION));
    assertThat(route.roles()).containsExactly("editor");
    assertThat(route.scopes()).containsExactly("books:read", "api://x/.default");
    assertThat(route.audience()).isEqualTo("books");
  }

  @Test
  void refusesUnsafeIssuers() throws Exception {
    String ok = "name: x, issuer: \"https://id.example.com\", audience: api";
    assertThat(errors("issuers: [{" + ok + ", algorithms: [HS256]}]")).singleElement().asString()
        .contains("issuers[0].algorithms[0]: 'HS256'").contains("HMAC algorithms are refused");
    assertThat(errors("issuers: [{" + ok + ", algorithms: [none]}]")).singleElement().asString().contains("'none'");
    assertThat(errors("issuers: [{name: x, issuer: \"https://id.example.com\"}]")).singleElement().asString()
        .contains("audience is required");
    assertThat(errors("issuers: [{" + ok + ", jwks_uri: \"http://id.example.com/keys\"}]")).singleElement().asString()
        .contains("expected: an https:// URL");
    assertThat(errors("issuers: [{name: x, issuer: \"http://id.example.com\", audience: api}]")).singleElement().asString()
        .contains("must be an https:// URL");
    assertThat(errors("issuers: [{" + ok + ", jwks_uri: \"https://a/k\", jwks_file: k.json}]")).singleElement().asString()
        .contains("cannot be combined with jwks_uri");
    assertThat(errors("issuers: [{" + ok + "}, {" + ok + "}]")).singleElement().asString().contains("duplicate issuer name 'x'");
    assertThat(errors("routes: [{id: a, path: /a, respond: {}, auth: [jwt:nobody]}]")).singleElement().asString()
        .contains("'jwt:nobody' names no entry of issuers");
    assertThat(errors("routes: [{id: a, path: /a, respond: {}, auth: [none], roles: [admin]}]")).singleElement().asString()
        .contains("cannot require roles");
    assertThat(errors("routes: [{id: a, path: /a, respond: {}, auth: [session], audience: x}]")).singleElement().asString()
        .contains("only applies to tokens");
    assertThat(errors("routes: [{id: a, path: /a, respond: {}, auth: [jwt], scopes: ['a\"b']}]")).singleElement().asString()
        .contains("RFC 6749 scope");
    assertThat(errors("routes: [{id: a, path: /a, upstream: \"http://127.0.0.1:1\", auth: [none], identity_token: true}]"))
        .singleElement().asString().contains("needs a guarded route with an upstream");
    assertThat(errors("tokens: { algorithm: HS256 }")).singleElement().asString().contains("tokens.algorithm");
    assertThat(errors("management: { admin_certificates: { subjects: [\"CN=ops\"] } }")).singleElement().asString()
        .contains("needs management.tls: true and server.https.client_ca");
    assertThat(errors("server: { https: { enabled: false } }\nmanagement: { tls: true }")).singleElement().asString()
        .contains("management.tls");
    assertThat(errors("tokens: { rotate_every: 5m, access_ttl: 10m }")).singleElement().asString()
        .contains("must not be shorter than access_ttl");
    assertThat(errors("tokens: { audience: \"api one\" }")).singleElement().asString().contains("tokens.audience");
    assertThat(errors("tokens: { audience: \"\" }")).singleElement().asString().contains("tokens.audience");
    assertThat(new ConfigLoader(java.util.Map.of()).parse("tokens: { audience: \"https://api.example\" }", "t.yaml")
        .defaultAudience()).isEqualTo("https://api.example");
    assertThat(new ConfigLoader(java.util.Map.of()).parse("issuer: https://gw.example", "t.yaml").defaultAudience())
        .as("the issuer by default").isEqualTo("https://gw.example");
  }

  @Test
  void rejectsHostileAndMalformedValues() {
    assertThat(errors("server: { trusted_proxies: [example.com] }")).singleElement().asString()
        .contains("server.trusted_proxies[0]: 'example.com' (expected: a network");
    assertThat(errors("server: { trusted_proxies: [10.0.0.0/33] }")).singleElement().asString().contains("prefix length");
    assertThat(errors("routes: [{id: a, path: /a/../b, respond: {}, auth: [none]}]")).singleElement().asString().contains("routes[0].path");
    assertThat(errors("routes: [{id: a, path: /a/**/b, respond: {}, auth: [none]}]")).singleElement().asString().contains("** only as the last segment");
    assertThat(errors("routes: [{id: 'a b', path: /a, respond: {}, auth: [none]}]")).singleElement().asString().contains("routes[0].id");
    assertThat(errors("routes: [{id: a, path: /a, respond: {}, auth: [token]}]")).singleElement().asString()
        .contains("expected: one of api_key, jwt, mtls, none, session, or jwt:<issuer name>");
    assertThat(errors("routes: [{id: a, path: /a, respond: {}, auth: [none, mtls]}]")).singleElement().asString().contains("none cannot be combined");
    assertThat(errors("routes: [{id: a, path: /a/**, strip_prefix: /b, respond: {}, auth: [none]}]")).singleElement().asString().contains("strip_prefix");
    assertThat(errors("routes: [{id: a, path: /a/{id}, rewrite: /x/{other}, respond: {}, auth: [none]}]")).singleElement().asString().contains("rewrite");
    assertThat(errors("routes: [{id: a, path: /a, auth: [none]}]")).singleElement().asString().contains("exactly one of upstream or respond");
    assertThat(errors("routes: [{id: a, path: /a, respond: {headers: {X-A: \"v\\r\\nInjected: 1\"}}, auth: [none]}]"))
        .singleElement().asString().contains("printable ASCII");
    assertThat(errors("routes: {id: a}")).singleElement().asString().contains("expected a list of routes");
    assertThat(errors("server: [1, 2]")).singleElement().asString().contains("server: expected a mapping, got a list");
    assertThat(errors("server: { limits: { max_body_bytes: 99999999999999999999GiB } }")).singleElement().asString().contains("max_body_bytes");
  }

  @Test
  void wildcardOriginIsRefusedWithCredentials() {
    assertThat(errors("cors: { allowed_origins: ['*'], allow_credentials: true }")).singleElement().asString()
        .contains("cors.allow_credentials: true cannot be combined with allowed_origins: ['*']");
    assertThat(errors("cors: { allowed_origins: ['https://app.example.com/path'] }")).singleElement().asString()
        .contains("cors.allowed_origins[0]");
  }

  @Test
  void environmentReferences() throws Exception {
    assertThat(errors("issuer: https://${MISSING}/x")).singleElement().asString()
        .contains("environment variable MISSING is not set");
    assertThat(loader.parse("issuer: https://${EMPTY:-fallback.example}", "g").issuer().getHost()).isEqualTo("fallback.example");
    assertThat(loader.parse("routes: [{id: a, path: /a, respond: {body: \"$${literal}\"}, auth: [none]}]", "g")
        .routes().get(0).respond().body()).isEqualTo("${literal}");
  }

  @Test
  void yamlSyntaxAndDuplicateKeys() {
    assertThat(errors("server: {http: ")).singleElement().asString().startsWith("g.yaml:").contains("invalid YAML");
    assertThat(errors("server: {}\nserver: {}\n")).singleElement().asString().contains("Duplicate field 'server'");
  }

  @Test
  void filesThatAreNotConfig(@TempDir Path dir) throws Exception {
    Path big = dir.resolve("big.yaml");
    Files.write(big, new byte[ConfigLoader.MAX_FILE_BYTES + 1]);
    assertThatThrownBy(() -> loader.load(big)).isInstanceOf(ConfigException.class).hasMessageContaining("larger than");
    Path binary = dir.resolve("bin.yaml");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 'a'});
    assertThatThrownBy(() -> loader.load(binary)).hasMessageContaining("not valid UTF-8");
    assertThatThrownBy(() -> loader.load(dir.resolve("missing.yaml"))).hasMessageContaining("cannot read");
    Path ok = dir.resolve("ok.yaml");
    Files.writeString(ok, "# nothing\n", StandardCharsets.UTF_8);
    assertThat(loader.load(ok).routes()).isEmpty();
  }
}
