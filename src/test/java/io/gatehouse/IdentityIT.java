package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.cli.GatehouseCommand;
import io.gatehouse.support.Eventually;
import io.gatehouse.support.GatewayWithUpstream;
import io.gatehouse.support.LogCapture;
import io.gatehouse.support.MutableClock;
import io.gatehouse.support.GatehouseFixture;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Accounts end to end: signup, login (JSON and form), sessions, logout, password change, API keys, audit; hostile input. */
class IdentityIT {

  private static final String PASSWORD = "correct horse battery";

  @TempDir
  static Path data;
  private static GatewayWithUpstream env;
  private static GatehouseFixture gw;
  private static LogCapture audit;
  private static LogCapture everything;

  @BeforeAll
  static void start() throws Exception {
    audit = new LogCapture("gatehouse.audit");
    everything = new LogCapture("ROOT");
    env = GatewayWithUpstream.start(data, """
        signup: { rate_limit: [] }   # every test signs up and fails logins from 127.0.0.1; RateLimitIT
        rate_limits: { login_failures: { address: 1000, account: 1000 } }   # and LoginThrottleIT cover the limits
        routes:
          - { id: books, path: /api/books/**, upstream: "${UP}", auth: [api_key, session] }
          - { id: keys-only, path: /api/keys/**, upstream: "${UP}", auth: [api_key] }
        """, Map.of());
    gw = env.gateway;
  }

  @AfterAll
  static void stop() {
    env.close();
    audit.close();
    everything.close();
  }

  // --- signup ---

  @Test
  void signupLoginSessionLogout() throws Exception {
    HttpResponse<String> signup = postJson("/auth/signup", "{\"username\":\"Carol\",\"password\":\"" + PASSWORD + "\",\"email\":\"carol@example.com\"}");
    assertThat(signup.statusCode()).isEqualTo(201);
    JsonObject created = new JsonObject(signup.body());
    assertThat(created.getString("username")).isEqualTo("Carol");
    assertThat(created.getString("id")).isNotBlank();
    assertThat(created.fieldNames()).containsExactlyInAnyOrder("id", "username");

    assertThat(postJson("/auth/signup", "{\"username\":\"CAROL\",\"password\":\"another good one\"}").statusCode())
        .as("names are unique whatever their case").isEqualTo(409);

    String token = login("carol", PASSWORD);
    HttpResponse<String> session = gw.get("/auth/session", "Authorization", "Bearer " + token);
    assertThat(session.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(session.body()).getJsonObject("user").getString("id")).isEqualTo(created.getString("id"));

    assertThat(post("/auth/logout", "", "Authorization", "Bearer " + token).statusCode()).isEqualTo(204);
    assertThat(gw.get("/auth/session", "Authorization", "Bearer " + token).statusCode()).isEqualTo(401);
    assertThat(post("/auth/logout", "", "Authorization", "Bearer " + token).statusCode()).isEqualTo(401);
  }

  @Test
  void badFieldsAreNamed() throws Exception {
    assertField(postJson("/auth/signup", "{\"username\":\"dave\",\"password\":\"short\"}"), "password");
    assertField(postJson("/auth/signup", "{\"username\":\"dave\",\"password\":\"password1\"}"), "password");
    assertField(postJson("/auth/signup", "{\"username\":\"dave\",\"password\":\"dave\"}"), "password");
    assertField(postJson("/auth/signup", "{\"username\":\"d\",\"password\":\"" + PASSWORD + "\"}"), "username");
    assertField(postJson("/auth/signup", "{\"password\":\"" + PASSWORD + "\"}"), "username");
    assertField(postJson("/auth/signup", "{\"username\":42,\"password\":\"" + PASSWORD + "\"}"), "username");
    assertField(postJson("/auth/signup", "{\"username\":\"dave\",\"password\":\"" + PASSWORD + "\",\"email\":\"not an email\"}"), "email");
    assertThat(loginStatus("dave", PASSWORD)).as("nothing was created").isEqualTo(401);
  }

  @Test
  void hostileBodiesGetAClear4xxAndChangeNothing() throws Exception {
    String before = usersTable();
    assertThat(post("/auth/signup", "{\"username\":\"eve\"}", "Content-Type", "text/plain").statusCode()).isEqualTo(415);
    assertThat(post("/auth/signup", "username=eve&password=x", "Content-Type", "application/x-www-form-urlencoded").statusCode()).isEqualTo(415);
    assertThat(postJson("/auth/signup", "{\"username\":").statusCode()).isEqualTo(400);
    assertThat(postJson("/auth/signup", "[1,2,3]").statusCode()).isEqualTo(400);
    assertThat(postJson("/auth/signup", "{\"a\":".repeat(5000) + "1" + "}".repeat(5000)).statusCode()).isIn(400, 413);
    assertThat(postJson("/auth/signup", "{\"a\":" + "[".repeat(50) + "]".repeat(50) + ",\"username\":\"eve\",\"password\":\"" + PASSWORD + "\"}").statusCode())
        .as("deep nesting").isEqualTo(400);
    assertThat(postJson("/auth/signup", "{\"username\":\"eve\",\"username\":\"mallory\",\"password\":\"" + PASSWORD + "\"}").statusCode())
        .as("duplicate keys").isEqualTo(400);
    assertThat(postJson("/auth/signup", "{\"username\":\"eve\",\"password\":\"" + "x".repeat(20_000) + "\"}").statusCode()).isEqualTo(413);
    HttpResponse<String> lookAlike = postJson("/auth/signup", "{\"username\":\"a\u0430dmin\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(lookAlike.statusCode()).as("Cyrillic а in admin").isEqualTo(400);
    assertThat(lookAlike.body()).contains("\"username\"");
    byte[] badUtf8 = "{\"username\":\"eve\u00ff\",\"password\":\"correct horse battery\"}".getBytes(StandardCharsets.ISO_8859_1);
    HttpResponse<String> invalidUtf8 = gw.send(HttpRequest.newBuilder(gw.http("/auth/signup")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(badUtf8)).build());
    assertThat(invalidUtf8.statusCode()).isEqualTo(400);
    for (String hostile : List.of("' OR '1'='1", "eve'; DROP TABLE users;--", "eve\u0000", "<script>alert(1)</script>", "../../etc/passwd")) {
      String json = new JsonObject().put("username", hostile).put("password", PASSWORD).encode();
      assertThat(postJson("/auth/signup", json).statusCode()).as(hostile).isEqualTo(400);
      assertThat(postJson("/auth/login", json).statusCode()).as(hostile).isEqualTo(401);
    }
    assertThat(usersTable()).isEqualTo(before);

    // SQL metacharacters where they are allowed are stored and compared literally.
    String sqlPassword = "' OR '1'='1' -- x";
    String email = "o'brien;--@example.com";
    assertThat(postJson("/auth/signup", new JsonObject().put("username", "o.brien").put("password", sqlPassword).put("email", email).encode())
        .statusCode()).isEqualTo(201);
    assertThat(loginStatus("o.brien", sqlPassword)).isEqualTo(200);
    assertThat(loginStatus("o.brien", "' OR '1'='1")).isEqualTo(401);
    String token = login("o.brien", sqlPassword);
    assertThat(new JsonObject(gw.get("/auth/session", "Authorization", "Bearer " + token).body()).getJsonObject("user").getString("email"))
        .isEqualTo(email);
  }

  @Test
  void concurrentSignupsOfOneNameLetExactlyOneIn() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String name = i % 2 == 0 ? "Frank" : "FRANK";
        Callable<Integer> signup = () -> postJson("/auth/signup", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}").statusCode();
        results.add(pool.submit(signup));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> result : results) {
        statuses.add(result.get());
      }
      assertThat(statuses).containsOnly(201, 409);
      assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
    } finally {
      pool.shutdown();
    }
  }

  // --- login ---

  @Test
  void failedLoginsAreIndistinguishable() throws Exception {
    signup("grace");
    signup("heidi");
    cli("user", "disable", "heidi");
    List<HttpResponse<String>> failures = List.of(
        postJson("/auth/login", "{\"username\":\"grace\",\"password\":\"wrong password\"}"),
        postJson("/auth/login", "{\"username\":\"nobody-here\",\"password\":\"wrong password\"}"),
        postJson("/auth/login", "{\"username\":\"heidi\",\"password\":\"" + PASSWORD + "\"}"));
    for (HttpResponse<String> failure : failures) {
      assertThat(failure.statusCode()).isEqualTo(401);
      assertThat(withoutRequestIds(failure.body())).isEqualTo(withoutRequestIds(failures.get(0).body()));
    }
    // Same work either way: an unknown name is checked against a dummy hash.
    long known = medianNanos(() -> postJson("/auth/login", "{\"username\":\"grace\",\"password\":\"wrong password\"}"));
    long unknown = medianNanos(() -> postJson("/auth/login", "{\"username\":\"nobody-at-all\",\"password\":\"wrong password\"}"));
    assertThat((double) unknown / known).isBetween(0.5, 2.0);
  }

  @Test
  void everyLoginGetsAFreshSessionAndPasswordChangeEndsTheOthers() throws Exception {
    signup("ivan");
    String first = login("ivan", PASSWORD);
    String second = login("ivan", PASSWORD);
    assertThat(first).isNotEqualTo(second).hasSize(43);
    HttpResponse<String> both = gw.get("/auth/session", "Authorization", "Bearer " + first, "Cookie", "gh_session=" + second);
    assertThat(both.statusCode()).as("two different sessions in one request: neither wins").isEqualTo(401);
    assertThat(both.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"gatehouse\", error=\"invalid_token\"");
    assertThat(gw.get("/auth/session", "Authorization", "Bearer " + first, "Cookie", "gh_session=" + first).statusCode())
        .isEqualTo(200);

    HttpResponse<String> wrongCurrent = post("/auth/password", "{\"current_password\":\"not it at all\",\"new_password\":\"a brand new secret\"}",
        "Authorization", "Bearer " + first, "Content-Type", "application/json");
    assertField(wrongCurrent, "current_password");
    HttpResponse<String> change = post("/auth/password", "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"a brand new secret\"}",
        "Authorization", "Bearer " + first, "Content-Type", "application/json");
    assertThat(change.statusCode()).isEqualTo(204);
    assertThat(gw.get("/auth/session", "Authorization", "Bearer " + first).statusCode()).isEqualTo(200);
    assertThat(gw.get("/auth/session", "Authorization", "Bearer " + second).statusCode()).isEqualTo(401);
    assertThat(loginStatus("ivan", PASSWORD)).isEqualTo(401);
    assertThat(loginStatus("ivan", "a brand new secret")).isEqualTo(200);
  }

  @Test
  void importedPbkdf2HashIsUpgradedAtLogin() throws Exception {
    // passlib / Django style PBKDF2-SHA256 at 600,000 iterations, computed by the JDK
    String phc = pbkdf2("legacy password ok", 600_000);
    cli("user", "add", "judy", "--password-hash", phc, "--role", "editor");
    assertThat(passwordHash("judy")).isEqualTo(phc);
    assertThat(loginStatus("judy", "legacy password ok")).isEqualTo(200);
    assertThat(passwordHash("judy")).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(loginStatus("judy", "legacy password ok")).isEqualTo(200);
  }

  // --- browser: the form, the cookie, CSRF ---

  @Test
  void formLoginSetsAHardenedCookieAndRedirectsSafely() throws Exception {
    signup("kate");
    HttpResponse<String> page = gw.get("/auth/login?return_to=/app/home");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'", "form-action 'self'");
    String csrfCookie = cookie(page, "gh_csrf");
    String formToken = hidden(page.body(), "csrf_token");
    assertThat(formToken).isEqualTo(csrfCookie);
    assertThat(hidden(page.body(), "return_to")).isEqualTo("/app/home");

    HttpResponse<String> ok = postForm(Map.of("username", "kate", "password", PASSWORD, "csrf_token", formToken, "return_to", "/app/home"),
        "Cookie", "gh_csrf=" + csrfCookie);
    assertThat(ok.statusCode()).isEqualTo(303);
    assertThat(ok.headers().firstValue("Location")).hasValue("/app/home");
    String setCookie = ok.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("gh_session=")).findFirst().orElseThrow();
    assertThat(setCookie).contains("HTTPOnly", "SameSite=Lax", "Path=/");
    String session = setCookie.substring("gh_session=".length(), setCookie.indexOf(';'));

    HttpResponse<String> who = gw.get("/auth/session", "Cookie", "gh_session=" + session);
    assertThat(who.statusCode()).isEqualTo(200);
    String csrf = new JsonObject(who.body()).getString("csrf_token");
    assertThat(csrf).isNotBlank();

    // The cookie reaches protected routes; upstreams learn who it is, not the credential.
    HttpResponse<String> proxied = gw.get("/api/books/1", "Cookie", "theme=dark; gh_session=" + session + "; lang=en");
    assertThat(proxied.statusCode()).isEqualTo(200);
    JsonObject upstreamSaw = new JsonObject(proxied.body()).getJsonObject("headers");
    assertThat(upstreamSaw.getString("x-gatehouse-subject")).isNotBlank();
    assertThat(upstreamSaw.getString("cookie")).as("the session cookie stays with the gateway").isEqualTo("theme=dark; lang=en");
    assertThat(post("/api/books/1", "{}", "Cookie", "gh_session=" + session, "Content-Type", "application/json").statusCode())
        .as("cookie-authenticated change without CSRF token").isEqualTo(403);
    assertThat(post("/api/books/1", "{}", "Cookie", "gh_session=" + session, "Content-Type", "application/json", "X-CSRF-Token", csrf).statusCode())
        .isEqualTo(200);

    assertThat(post("/auth/logout", "", "Cookie", "gh_session=" + session).statusCode()).isEqualTo(403);
    assertThat(post("/auth/logout", "", "Cookie", "gh_session=" + session, "Origin", "https://evil.example").statusCode()).isEqualTo(403);
    HttpResponse<String> logout = post("/auth/logout", "", "Cookie", "gh_session=" + session, "X-CSRF-Token", csrf);
    assertThat(logout.statusCode()).isEqualTo(204);
    assertThat(logout.headers().firstValue("set-cookie").orElseThrow()).startsWith("gh_session=;").contains("Max-Age=0");
    assertThat(gw.get("/auth/session", "Cookie", "gh_session=" + session).statusCode()).isEqualTo(401);
  }

  @Test
  void formLoginRefusesForgedAndHostileForms() throws Exception {
    signup("leo");
    HttpResponse<String> page = gw.get("/auth/login");
    String token = cookie(page, "gh_csrf");
    assertThat(postForm(Map.of("username", "leo", "password", PASSWORD), "Cookie", "gh_csrf=" + token).statusCode())
        .as("no CSRF field").isEqualTo(403);
    assertThat(postForm(Map.of("username", "leo", "password", PASSWORD, "csrf_token", token)).statusCode())
        .as("no CSRF cookie").isEqualTo(403);
    assertThat(postForm(Map.of("username", "leo", "password", PASSWORD, "csrf_token", token), "Cookie", "gh_csrf=" + token,
        "Origin", "https://evil.example").statusCode()).as("cross-site").isEqualTo(403);
    assertThat(postForm(Map.of("username", "leo", "password", PASSWORD, "csrf_token", token), "Cookie", "gh_csrf=" + token,
        "Origin", "null").statusCode()).as("Origin: null, as sent under Referrer-Policy: no-referrer").isEqualTo(303);
    HttpResponse<String> open = postForm(Map.of("username", "leo", "password", PASSWORD, "csrf_token", token, "return_to", "//evil.example/x"),
        "Cookie", "gh_csrf=" + token);
    assertThat(open.headers().firstValue("Location")).as("no open redirect").hasValue("/");
    HttpResponse<String> wrong = postForm(Map.of("username", "<b>leo</b>", "password", "nope nope nope", "csrf_token", token),
        "Cookie", "gh_csrf=" + token);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("&lt;b&gt;leo&lt;/b&gt;").doesNotContain("<b>leo</b>");
  }

  // --- API keys ---

  @Test
  void apiKeysAdmitUntilRevoked() throws Exception {
    signup("mike");
    String out = cli("apikey", "create", "--user", "mike", "--scope", "books:read", "--role", "reader");
    Matcher m = Pattern.compile("id: ([0-9a-f]{12})\\napi_key: (gh_[0-9a-f]{12}_[0-9a-f]{64})").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    String id = m.group(1);
    String key = m.group(2);

    HttpResponse<String> ok = gw.get("/api/keys/1", "X-Api-Key", key);
    assertThat(ok.statusCode()).isEqualTo(200);
    JsonObject seen = new JsonObject(ok.body()).getJsonObject("headers");
    assertThat(seen.getString("x-gatehouse-scopes")).isEqualTo("books:read");
    assertThat(seen.getString("x-gatehouse-roles")).isEqualTo("reader");
    assertThat(seen.getString("x-gatehouse-client")).isEqualTo("apikey:" + id);
    assertThat(seen.containsKey("x-api-key")).as("the key stays with the gateway").isFalse();
    HttpResponse<String> bearer = gw.get("/api/keys/1", "Authorization", "Bearer " + key);
    assertThat(bearer.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(bearer.body()).getJsonObject("headers").containsKey("authorization")).isFalse();
    HttpResponse<String> scheme = gw.get("/api/keys/1", "Authorization", "ApiKey " + key);
    assertThat(scheme.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(scheme.body()).getJsonObject("headers").containsKey("authorization")).isFalse();
    assertThat(gw.get("/api/keys/1", "Authorization", "ApiKey").statusCode()).isEqualTo(401);
    assertThat(gw.get("/api/keys/1", "Authorization", "ApiKey  " + key + " x").statusCode()).isEqualTo(401);
    String altered = key.substring(0, key.length() - 1) + (key.endsWith("0") ? "1" : "0");
    assertThat(gw.get("/api/keys/1", "X-Api-Key", altered).statusCode()).isEqualTo(401);
    assertThat(gw.get("/api/keys/1", "X-Api-Key", "gh_' OR 1=1 --").statusCode()).isEqualTo(401);
    assertThat(gw.get("/api/keys/1", "Authorization", "Bearer " + login("mike", PASSWORD)).statusCode())
        .as("a session does not open an api_key-only route").isEqualTo(401);
    assertThat(cli("apikey", "list")).contains(id, "active").doesNotContain(key.substring(16));

    String listed = cli("apikey", "list").lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow();
    assertThat(listed).as("last use is recorded").containsPattern("\\d{4}-\\d\\d-\\d\\dT");

    cli("apikey", "revoke", id);
    assertThat(gw.get("/api/keys/1", "X-Api-Key", key).statusCode()).isEqualTo(401);
    assertThat(cli("apikey", "list")).contains(id, "revoked");
    assertThat(auditDetails()).contains("apikey.create:cli " + id, "apikey.revoke:cli " + id);
  }

  @Test
  void apiKeysExpire(@TempDir Path dir) throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    try (GatehouseFixture fixture = GatehouseFixture.start(dir.resolve("d"),
        "routes: [{ id: k, path: /k, respond: { body: ok }, auth: [api_key] }]\n", Map.of(), clock)) {
      String key = run(writeConfig(dir.resolve("d")), "apikey", "create", "--service", "batch", "--expires", "1h")
          .lines().filter(l -> l.startsWith("api_key: ")).findFirst().orElseThrow().substring(9);
      assertThat(fixture.get("/k", "X-Api-Key", key).statusCode()).isEqualTo(200);
      clock.advance(Duration.ofMinutes(61));
      assertThat(fixture.get("/k", "X-Api-Key", key).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void overHttpsTheCookieIsHostPrefixedAndSecure() throws Exception {
    byte[] pem = Files.readAllBytes(data.resolve("tls/self-signed-cert.pem"));
    var cert = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(pem));
    var https = java.net.http.HttpClient.newBuilder().sslContext(io.gatehouse.support.TestPki.context(cert, null)).build();
    String base = "https://localhost:" + gw.gatehouse.httpsPort();
    signup("xena");
    HttpResponse<String> page = https.send(HttpRequest.newBuilder(java.net.URI.create(base + "/auth/login")).build(),
        HttpResponse.BodyHandlers.ofString());
    String csrfCookie = page.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("__Host-gh_csrf=")).findFirst().orElseThrow();
    assertThat(csrfCookie).contains("Secure", "HTTPOnly", "Path=/").doesNotContain("Domain");
    String token = csrfCookie.substring("__Host-gh_csrf=".length(), csrfCookie.indexOf(';'));
    String form = "username=xena&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&csrf_token=" + token;
    HttpResponse<String> login = https.send(HttpRequest.newBuilder(java.net.URI.create(base + "/auth/login"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "__Host-gh_csrf=" + token)
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(303);
    String session = login.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("__Host-gh_session=")).findFirst().orElseThrow();
    assertThat(session).contains("Secure", "HTTPOnly", "SameSite=Lax", "Path=/").doesNotContain("Domain");
    assertThat(login.headers().firstValue("Strict-Transport-Security")).isPresent();
  }

  // --- audit ---

  @Test
  void auditEventsGoToTheLogAndTheStoreWithoutSecrets() throws Exception {
    signup("nina");
    String token = login("nina", PASSWORD);
    loginStatus("nina", "wrong password here");
    post("/auth/logout", "", "Authorization", "Bearer " + token);
    // The audit row is written after the answer (the decision does not wait for its record).
    List<String> events = Eventually.read(
        () -> auditDetails().stream().map(e -> e.substring(0, e.indexOf(':'))).toList(),
        list -> list.contains("logout"), Duration.ofSeconds(10));
    assertThat(events).contains("signup", "login", "logout");
    assertThat(outcomes()).contains("login:failure", "login:success", "logout:success", "signup:success");
    assertThat(audit.json()).anySatisfy(e -> assertThat(e.getString("event")).isEqualTo("logout"));
    String allLogs = String.join("\n", everything.raw());
    assertThat(allLogs).doesNotContain(PASSWORD, token, "wrong password here");
  }

  // --- expiry, on a fake clock ---

  @Test
  void sessionsExpireWhenIdleAndAtTheirAbsoluteEnd(@TempDir Path dir) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (GatehouseFixture fixture = GatehouseFixture.start(dir, "sessions: { idle_timeout: 30m, absolute_timeout: 1h }\n", Map.of(), clock)) {
      assertThat(post(fixture, "/auth/signup", "{\"username\":\"olga\",\"password\":\"" + PASSWORD + "\"}", "Content-Type", "application/json")
          .statusCode()).isEqualTo(201);
      String idle = new JsonObject(post(fixture, "/auth/login", "{\"username\":\"olga\",\"password\":\"" + PASSWORD + "\"}",
          "Content-Type", "application/json").body()).getString("session_token");
      String active = new JsonObject(post(fixture, "/auth/login", "{\"username\":\"olga\",\"password\":\"" + PASSWORD + "\"}",
          "Content-Type", "application/json").body()).getString("session_token");
      Instant loggedIn = clock.instant();
      clock.advance(Duration.ofSeconds(30));
      assertThat(fixture.get("/auth/session", "Authorization", "Bearer " + active).statusCode()).isEqualTo(200);
      assertThat(lastSeen(dir)).as("use within a minute is not written back").containsOnly(loggedIn.toEpochMilli());
      clock.advance(Duration.ofSeconds(31));
      assertThat(fixture.get("/auth/session", "Authorization", "Bearer " + active).statusCode()).isEqualTo(200);
      assertThat(lastSeen(dir)).containsExactlyInAnyOrder(loggedIn.toEpochMilli(), clock.instant().toEpochMilli());
      for (int i = 0; i < 2; i++) { // 40 more minutes of activity slide the idle end for the active session only
        clock.advance(Duration.ofMinutes(20));
        assertThat(fixture.get("/auth/session", "Authorization", "Bearer " + active).statusCode()).isEqualTo(200);
      }
      assertThat(fixture.get("/auth/session", "Authorization", "Bearer " + idle).statusCode()).as("idle 40m").isEqualTo(401);
      clock.advance(Duration.ofMinutes(18));
      assertThat(fixture.get("/auth/session", "Authorization", "Bearer " + active).statusCode()).isEqualTo(200);
      clock.advance(Duration.ofMinutes(2));
      assertThat(fixture.get("/auth/session", "Authorization", "Bearer " + active).statusCode()).as("past the absolute hour").isEqualTo(401);
    }
  }

  @Test
  void aFiveSecondIdleTimeoutWorksBecauseUseIsWrittenBackMoreOften(@TempDir Path dir) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (GatehouseFixture fixture = GatehouseFixture.start(dir, "sessions: { idle_timeout: 5s, absolute_timeout: 1h }\n", Map.of(), clock)) {
      assertThat(post(fixture, "/auth/signup", "{\"username\":\"rhea\",\"password\":\"" + PASSWORD + "\"}", "Content-Type", "application/json")
          .statusCode()).isEqualTo(201);
      String token = new JsonObject(post(fixture, "/auth/login", "{\"username\":\"rhea\",\"password\":\"" + PASSWORD + "\"}",
          "Content-Type", "application/json").body()).getString("session_token");
      for (int i = 0; i < 4; i++) { // 12 s of activity, 3 s apart: each use slides the 5 s idle end
        clock.advance(Duration.ofSeconds(3));
        assertThat(fixture.get("/auth/session", "Authorization", "Bearer " + token).statusCode()).as("after " + (3 * (i + 1)) + " s")
            .isEqualTo(200);
      }
      clock.advance(Duration.ofSeconds(6));
      assertThat(fixture.get("/auth/session", "Authorization", "Bearer " + token).statusCode()).as("idle 6 s").isEqualTo(401);
    }
  }

  @Test
  void signupCanBeClosedOrInviteOnly(@TempDir Path dir) throws Exception {
    try (GatehouseFixture closed = GatehouseFixture.start(dir.resolve("a"), "signup: { enabled: false }\n", Map.of())) {
      assertThat(post(closed, "/auth/signup", "{\"username\":\"pat\",\"password\":\"" + PASSWORD + "\"}", "Content-Type", "application/json")
          .statusCode()).isEqualTo(404);
    }
    try (GatehouseFixture invite = GatehouseFixture.start(dir.resolve("b"), "signup: { requires: api_key }\n", Map.of())) {
      String body = "{\"username\":\"pat\",\"password\":\"" + PASSWORD + "\"}";
      assertThat(post(invite, "/auth/signup", body, "Content-Type", "application/json").statusCode()).isEqualTo(401);
      String config = writeConfig(dir.resolve("b"));
      String out = run(config, "apikey", "create", "--service", "portal", "--scope", "signup");
      String key = out.lines().filter(l -> l.startsWith("api_key: ")).findFirst().orElseThrow().substring(9);
      String wrongScope = run(config, "apikey", "create", "--service", "other", "--scope", "books:read")
          .lines().filter(l -> l.startsWith("api_key: ")).findFirst().orElseThrow().substring(9);
      assertThat(post(invite, "/auth/signup", body, "Content-Type", "application/json", "X-Api-Key", wrongScope).statusCode()).isEqualTo(403);
      assertThat(post(invite, "/auth/signup", body, "Content-Type", "application/json", "X-Api-Key", key).statusCode()).isEqualTo(201);
    }
  }

  // --- helpers ---

  private static void assertField(HttpResponse<String> response, String field) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonObject problem = new JsonObject(response.body());
    assertThat(problem.getJsonArray("invalid-params").getJsonObject(0).getString("name")).isEqualTo(field);
    assertThat(problem.getString("detail")).contains(field);
  }

  /** A problem body without what differs from one request to the next: its request and trace ids. */
  private static JsonObject withoutRequestIds(String body) {
    JsonObject json = new JsonObject(body);
    json.remove("request_id");
    json.remove("trace_id");
    return json;
  }

  private static long medianNanos(Callable<?> call) throws Exception {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      call.call();
      times.add(System.nanoTime() - start);
    }
    times.sort(null);
    return times.get(2);
  }

  private static void signup(String name) throws Exception {
    assertThat(postJson("/auth/signup", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}").statusCode()).isEqualTo(201);
  }

  private static String login(String name, String password) throws Exception {
    HttpResponse<String> response = postJson("/auth/login", new JsonObject().put("username", name).put("password", password).encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("token_type")).isEqualTo("Bearer");
    assertThat(body.getLong("expires_in")).isEqualTo(1800);
    return body.getString("session_token");
  }

  private static int loginStatus(String name, String password) throws Exception {
    return postJson("/auth/login", new JsonObject().put("username", name).put("password", password).encode()).statusCode();
  }

  private static HttpResponse<String> postJson(String path, String json) throws Exception {
    return post(path, json, "Content-Type", "application/json");
  }

  private static HttpResponse<String> postForm(Map<String, String> fields, String... headers) throws Exception {
    StringBuilder body = new StringBuilder();
    fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    List<String> all = new ArrayList<>(List.of("Content-Type", "application/x-www-form-urlencoded"));
    all.addAll(List.of(headers));
    return post("/auth/login", body.toString(), all.toArray(String[]::new));
  }

  private static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    return post(gw, path, body, headers);
  }

  private static HttpResponse<String> post(GatehouseFixture fixture, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(fixture.http(path)).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return fixture.send(builder.build());
  }

  private static String cookie(HttpResponse<String> response, String name) {
    String header = response.headers().allValues("set-cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst().orElseThrow();
    return header.substring(name.length() + 1, header.indexOf(';'));
  }

  private static String hidden(String html, String name) {
    Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
    assertThat(m.find()).as(name).isTrue();
    return m.group(1);
  }

  /** One text column of a query on a gateway's SQLite file, read the way an operator would. */
  private static List<String> column(Path dataDir, String sql, String... args) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("gatehouse.db"));
        var statement = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setString(i + 1, args[i]);
      }
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private static String usersTable() throws Exception {
    return String.join("\n", column(data, "SELECT id || username || password_hash FROM users ORDER BY id"));
  }

  private static List<Long> lastSeen(Path dir) throws Exception {
    return column(dir, "SELECT last_seen_at FROM sessions").stream().map(Long::valueOf).toList();
  }

  private static List<String> outcomes() throws Exception {
    return column(data, "SELECT event || ':' || outcome FROM audit_events");
  }

  private static List<String> auditDetails() throws Exception {
    return column(data, "SELECT event || ':' || coalesce(detail, '') FROM audit_events");
  }

  private static String passwordHash(String username) throws Exception {
    List<String> hashes = column(data, "SELECT password_hash FROM users WHERE username_key = ?", username);
    return hashes.isEmpty() ? null : hashes.get(0);
  }


  private static String pbkdf2(String password, int iterations) throws Exception {
    byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    var spec = new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, iterations, 256);
    byte[] hash = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    var b64 = java.util.Base64.getEncoder().withoutPadding();
    return "$pbkdf2-sha256$i=" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  private static String writeConfig(Path dataDir) throws Exception {
    Path file = dataDir.resolveSibling(dataDir.getFileName() + ".yaml");
    Files.writeString(file, "store: { embedded: { path: \"" + dataDir + "\" } }\n");
    return file.toString();
  }

  private static String cli(String... args) throws Exception {
    return run(writeConfig(data), args);
  }

  /** Runs a CLI command in this JVM against {@code config}'s data directory, next to the running server. */
  private static String run(String config, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var commandLine = GatehouseCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--config");
    all.add(config);
    int code = commandLine.execute(all.toArray(String[]::new));
    assertThat(code).as(out + " " + err).isZero();
    return out.toString();
  }
}
