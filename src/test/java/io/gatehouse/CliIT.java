package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.Eventually;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.TestUpstream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run as the README runs it: {@code config check} and {@code serve}. */
class CliIT {

  private static final Path JAR = Path.of("target/gatehouse.jar");

  private record Run(int exit, String output) {
  }

  private static Run run(Path dir, String... args) throws Exception {
    return run(dir, Map.of(), args);
  }

  private static Run run(Path dir, Map<String, String> environment, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void keysRotateHandsOverToThePublishedNextKey(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("g.yaml");
    Files.writeString(config, "store: { embedded: { path: \"" + dir.resolve("data") + "\" } }\n");
    Run before = run(dir, "keys", "list", "--config", config.toString());
    assertThat(before.exit()).isZero();
    List<String> keys = before.output().lines().filter(l -> l.contains("ES256")).toList();
    assertThat(keys).hasSize(2);
    String next = keys.stream().filter(l -> !l.endsWith("signing")).findFirst().orElseThrow().split(" ")[0];
    Run rotated = run(dir, "keys", "rotate", "--config", config.toString());
    assertThat(rotated.exit()).isZero();
    assertThat(rotated.output()).contains("signing key is now " + next).contains("\"event\":\"keys.rotate\"");
    assertThat(run(dir, "keys", "list", "--config", config.toString()).output()).contains(next + "  ES256   signing");
    assertThat(run(dir, "keys", "--config", config.toString()).exit()).isEqualTo(2);
  }

  @Test
  void aUserDisabledByTheCliLosesItsTokensOnTheRunningServerWithinASecond(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    try (GatehouseFixture server = GatehouseFixture.start(data, """
        routes:
          - { id: api, path: /api/**, respond: { body: ok }, auth: [jwt] }
        """, java.util.Map.of())) {
      String credentials = "{\"username\":\"cliuser\",\"password\":\"correct horse battery staple\"}";
      assertThat(server.send(HttpRequest.newBuilder(server.http("/auth/signup")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(credentials)).build()).statusCode()).isEqualTo(201);
      String access = new io.vertx.core.json.JsonObject(server.send(HttpRequest.newBuilder(server.http("/auth/login"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(credentials)).build())
          .body()).getString("access_token");
      assertThat(server.get("/api/x", "Authorization", "Bearer " + access).statusCode()).isEqualTo(200);

      Path config = dir.resolve("cli.yaml");
      Files.writeString(config, "store: { embedded: { path: \"" + data + "\" } }\n");
      Run disabled = run(dir, "user", "disable", "cliuser", "--config", config.toString());
      assertThat(disabled.exit()).as(disabled.output()).isZero();
      // The server reads the cut-offs again every TokenRevocations.CUT_OFF_POLL_MILLIS, on a real timer.
      Eventually.until("refused within a second",
          () -> server.get("/api/x", "Authorization", "Bearer " + access).statusCode() != 200, Duration.ofSeconds(1));
    }
  }

  @Test
  void userMfaResetRemovesALostAuthenticatorSoThePasswordSignsInAgain(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    try (GatehouseFixture server = GatehouseFixture.start(data, "signup: { rate_limit: [] }\n", Map.of())) {
      String credentials = "{\"username\":\"phoneless\",\"password\":\"correct horse battery staple\"}";
      assertThat(postJson(server, "/auth/signup", credentials, null).statusCode()).isEqualTo(201);
      String session = new io.vertx.core.json.JsonObject(postJson(server, "/auth/login", credentials, null).body())
          .getString("session_token");
      String base32 = new io.vertx.core.json.JsonObject(postJson(server, "/auth/mfa/enrol", "{}", session).body())
          .getString("secret");
      byte[] secret = org.bouncycastle.util.encoders.Base32.decode(base32 + "=".repeat((8 - base32.length() % 8) % 8));
      // The real clock: the server accepts a code one 30-second step either side of its own.
      String code = new io.gatehouse.identity.TotpVerifier().code(secret, java.time.Instant.now());
      assertThat(postJson(server, "/auth/mfa/enrol", "{\"code\":\"" + code + "\"}", session).statusCode())
          .isEqualTo(200);
      assertThat(postJson(server, "/auth/login", credentials, null).statusCode()).as("a code is asked for")
          .isEqualTo(401);

      Path config = dir.resolve("cli.yaml");
      Files.writeString(config, "store: { embedded: { path: \"" + data + "\" } }\n");
      Run reset = run(dir, "user", "mfa", "reset", "phoneless", "--config", config.toString());
      assertThat(reset.exit()).as(reset.output()).isZero();
      assertThat(reset.output()).contains("reset the second factors of user phoneless")
          .contains("\"event\":\"user.mfa_reset\"");
      HttpResponse<String> signedIn = postJson(server, "/auth/login", credentials, null);
      assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);

      Run again = run(dir, "user", "mfa", "reset", "phoneless", "--config", config.toString());
      assertThat(again.exit()).isZero();
      assertThat(again.output()).contains("user phoneless has no second factor");
      assertThat(run(dir, "user", "mfa", "reset", "nobody", "--config", config.toString()).exit()).isEqualTo(1);
    }
  }

  @Test
  void userPasskeysListsAndRemovesAPasskeyOfThatUserOnly(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path config = dir.resolve("cli.yaml");
    Files.writeString(config, "store: { embedded: { path: \"" + data + "\" } }\n");
    String hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
    Map<String, String> ids = new java.util.HashMap<>();
    for (String name : List.of("keyholder", "other")) {
      Run added = run(dir, "user", "add", name, "--password-hash", hash, "--config", config.toString());
      assertThat(added.exit()).as(added.output()).isZero();
      ids.put(name, added.output().replaceAll("(?s).*created user " + name + " \\(([^)]+)\\).*", "$1"));
    }
    String laptop = "bGFwdG9wLWNyZWRlbnRpYWwtaWQtb2YtMzItYnl0ZXM";
    byte[] publicKey = "the COSE key, never shown".getBytes(StandardCharsets.UTF_8);
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.gatehouse.store.SqlStorage store = io.gatehouse.store.SqlStorage.embedded(vertx, data);
      java.time.Instant created = java.time.Instant.parse("2026-11-30T10:00:00.123Z");
      store.passkeys().insert(new io.gatehouse.identity.passkey.Passkey(laptop, ids.get("keyholder"), "Work laptop",
          publicKey, "00000000-0000-0000-0000-000000000000", 0, true, true, true, List.of("internal"), created, null),
          10).await();
      store.passkeys().insert(new io.gatehouse.identity.passkey.Passkey("b3RoZXItdXNlcnMta2V5", ids.get("other"),
          "Phone", publicKey, "00000000-0000-0000-0000-000000000000", 0, true, false, false, List.of(), created,
          created.plusSeconds(60)), 10).await();
      store.close();
    } finally {
      vertx.close().await();
    }

    Run listed = run(dir, "user", "passkeys", "list", "keyholder", "--config", config.toString());
    assertThat(listed.exit()).as(listed.output()).isZero();
    assertThat(listed.output()).contains("CREDENTIAL ID").containsPattern(laptop + " +Work laptop +2026-11-30T10:00:00Z +never")
        .doesNotContain("b3RoZXItdXNlcnMta2V5")
        .doesNotContain(java.util.Base64.getEncoder().encodeToString(publicKey))
        .doesNotContain(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(publicKey));

    Run notTheirs = run(dir, "user", "passkeys", "remove", "keyholder", "b3RoZXItdXNlcnMta2V5", "--config", config.toString());
    assertThat(notTheirs.exit()).as("another user's passkey").isEqualTo(1);
    assertThat(notTheirs.output()).contains("user keyholder has no passkey").doesNotContain("user.passkey_remove");
    assertThat(run(dir, "user", "passkeys", "list", "other", "--config", config.toString()).output())
        .as("still there").containsPattern("b3RoZXItdXNlcnMta2V5 +Phone");

    Run removed = run(dir, "user", "passkeys", "remove", "keyholder", laptop, "--config", config.toString());
    assertThat(removed.exit()).as(removed.output()).isZero();
    assertThat(removed.output()).contains("removed passkey " + laptop.substring(0, 16) + " of user keyholder")
        .contains("\"event\":\"user.passkey_remove\"").contains("credential=" + laptop.substring(0, 16));
    assertThat(run(dir, "user", "passkeys", "list", "keyholder", "--config", config.toString()).output())
        .doesNotContain(laptop);
    assertThat(run(dir, "user", "passkeys", "remove", "keyholder", laptop, "--config", config.toString()).exit())
        .as("already removed").isEqualTo(1);
    assertThat(run(dir, "user", "passkeys", "list", "nobody", "--config", config.toString()).exit()).isEqualTo(1);
  }

  private static HttpResponse<String> postJson(GatehouseFixture server, String path, String json, String bearer)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.http(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return server.send(request.build());
  }

  @Test
  void clientAddTakesAnIdTokenAlgorithmGatehouseSignsWith(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("g.yaml");
    Files.writeString(config, "store: { embedded: { path: \"" + dir.resolve("data") + "\" } }\n");
    Run refused = run(dir, "client", "add", "rp", "--public", "--scope", "openid", "--redirect-uri",
        "https://rp.example/cb", "--id-token-signed-response-alg", "EdDSA", "--config", config.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.output()).contains("id-token-signed-response-alg must be one of ES256, RS256");
    Run added = run(dir, "client", "add", "rp", "--public", "--scope", "openid", "--redirect-uri",
        "https://rp.example/cb", "--id-token-signed-response-alg", "ES256", "--config", config.toString());
    assertThat(added.exit()).as(added.output()).isZero();
  }

  @Test
  void configCheckPrintsOkOrEveryErrorWithExitCode2(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, "routes: [{id: a, path: /a, respond: {body: hi}, auth: [none]}]\n");
    Run ok = run(dir, "config", "check", good.toString());
    assertThat(ok.exit()).isZero();
    assertThat(ok.output().trim()).isEqualTo("OK");

    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "server:\n  http: { port: -5 }\nroutes:\n  - { id: a, path: nope, respond: {} }\n  - { id: a, path: /b, respond: {} }\n");
    Run errors = run(dir, "config", "check", bad.toString());
    assertThat(errors.exit()).isEqualTo(2);
    assertThat(errors.output().lines().toList()).containsExactly(
        bad + ":2: server.http.port: -5 (expected: 0..65535)",
        bad + ":4: routes[0].path: 'nope' (expected: a path starting with /)",
        bad + ":5: routes[1].id: duplicate route id 'a' (first defined at line 4)");

    assertThat(run(dir, "no-such-command").exit()).isEqualTo(2);
    assertThat(run(dir, "serve", "--config", bad.toString()).exit()).isEqualTo(2);
  }

  /**
   * Also the real SIGTERM (issue 20 item 3): readiness turns 503, a request in flight finishes, and
   * the process exits 0 once drained.
   */
  @Test
  void serveStartsOnAConfigAndProxiesAndDrainsOnSigterm(@TempDir Path dir) throws Exception {
    int http = freePort();
    int management = freePort();
    try (TestUpstream upstream = TestUpstream.start("up")) {
      Path config = dir.resolve("gatehouse.yaml");
      Files.writeString(config, """
          server:
            http: { host: 127.0.0.1, port: %d }
            https: { enabled: false }
          management: { port: %d }
          shutdown: { delay: 300ms, timeout: 10s }
          routes:
            - { id: api, path: /api/**, strip_prefix: /api, upstream: "${UPSTREAM_URL}", auth: [none] }
          """.formatted(http, management));
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-jar", JAR.toAbsolutePath().toString(), "serve")
          .directory(dir.toFile()).redirectErrorStream(true);
      builder.environment().put("GATEHOUSE_CONFIG", config.toString());
      builder.environment().put("UPSTREAM_URL", upstream.url());
      Process process = builder.start();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("Gatehouse is listening")) {
          assertThat(process.isAlive()).as(line).isTrue();
        }
        assertThat(line).isEqualTo("Gatehouse is listening: http " + http + ", https off, management " + management + " (127.0.0.1)");
        String hint = out.readLine();
        while (hint != null && hint.startsWith("{")) { // JSON log lines interleave with the console messages
          hint = out.readLine();
        }
        assertThat(hint).as("a fresh data directory: how to create the first admin")
            .isEqualTo("No users yet. Create the first admin with: java -jar target/gatehouse.jar user add admin --role admin");
        HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/api/books?x=1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"uri\":\"/books?x=1\"");
        assertThat(Files.isDirectory(dir.resolve("data"))).isTrue();

        // gatehouse reload: SIGHUP to the pid the server wrote, and the edited file is live.
        Files.writeString(config, Files.readString(config)
            + "  - { id: hello, path: /hello, auth: [none], respond: { status: 200, body: hi } }\n");
        Run reload = run(dir, Map.of("UPSTREAM_URL", upstream.url()), "reload", "--config", config.toString());
        assertThat(reload.exit()).as(reload.output()).isZero();
        URI hello = URI.create("http://127.0.0.1:" + http + "/hello");
        int status = Eventually.read(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(hello).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode(), s -> s == 200, Duration.ofSeconds(10));
        assertThat(status).as("the route added by the reloaded file").isEqualTo(200);

        // The rest of the output, read as it comes: the pipe must not fill while the server drains.
        List<String> later = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> out.lines().forEach(later::add));
        reader.start();
        HttpClient client = HttpClient.newHttpClient();
        var inFlight = client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/api/hold"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upstream.held.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        process.toHandle().destroy(); // SIGTERM, leaving our end of its output open (Process.destroy closes it)
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/health/ready"))
            .build();
        Eventually.until("readiness turns 503",
            () -> client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 503, Duration.ofSeconds(10));
        upstream.releaseHeld();
        HttpResponse<String> finished = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).isEqualTo("released");
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        reader.join(5_000);
        assertThat(later).anyMatch(l -> l.contains("SIGTERM: shutting down gracefully"))
            .anyMatch(l -> l.contains("drained: every connection closed"));
      } finally {
        if (process.isAlive()) {
          process.destroy();
        }
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(process.exitValue()).as("drained on SIGTERM, then exited cleanly").isEqualTo(0);
    }
  }
}
