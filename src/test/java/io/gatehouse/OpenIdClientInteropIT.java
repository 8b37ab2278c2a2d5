package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gatehouse.support.GatehouseFixture;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * openid-client, the npm registry's widely used OAuth/OIDC client, against a running Gatehouse:
 * {@code src/test/interop/interop.mjs} does discovery, client_credentials, authorization code with
 * PKCE and id token checks, userinfo, refresh, introspection and revocation. Needs node and npm
 * (the package is installed from the registry into a temporary directory).
 */
class OpenIdClientInteropIT {

  static final String PASSWORD = "correct horse battery staple";

  @TempDir
  Path dir;

  @Test
  void openidClientCompletesEveryFlow() throws Exception {
    boolean present = Files.isExecutable(Path.of("/usr/bin/node")) && Files.isExecutable(Path.of("/usr/bin/npm"));
    if (System.getenv("GATEHOUSE_REQUIRE_SERVICES") == null) {
      assumeTrue(present, "node and npm are not installed");
    }
    Path project = Files.createDirectories(dir.resolve("interop"));
    for (String file : List.of("package.json", "interop.mjs")) {
      Files.copy(Path.of("src/test/interop", file), project.resolve(file));
    }
    assertThat(run(project, Map.of(), "npm", "install", "--no-audit", "--no-fund", "--loglevel=error").exit()).isZero();

    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String base = "http://127.0.0.1:" + port;
    try (GatehouseFixture gateway = GatehouseFixture.startRaw(Files.createDirectories(dir.resolve("data")), """
        issuer: "%s"
        server:
          http: { host: 127.0.0.1, port: %d }
          https: { enabled: false }
        management: { host: 127.0.0.1, port: 0 }
        store: { embedded: { path: "${DATA}" } }
        signup: { default_roles: [admin] }
        """.formatted(base, port), Map.of())) {
      gateway.send(json(base, "/auth/signup", "{\"username\":\"otto\",\"password\":\"" + PASSWORD + "\"}"));
      String session = new JsonObject(gateway.send(json(base, "/auth/login",
          "{\"username\":\"otto\",\"password\":\"" + PASSWORD + "\"}")).body()).getString("session_token");
      HttpResponse<String> created = gateway.send(HttpRequest.newBuilder(gateway.management("/admin/clients"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + session)
          .POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"node-app\",\"grants\":[\"authorization_code\","
              + "\"client_credentials\",\"refresh_token\"],\"scopes\":[\"openid\",\"read\"],"
              + "\"redirect_uris\":[\"http://127.0.0.1:1/cb\"],\"first_party\":true}")).build());
      assertThat(created.statusCode()).isEqualTo(201);

      Run interop = run(project, Map.of("ISSUER", base, "CLIENT_ID", "node-app",
          "CLIENT_SECRET", new JsonObject(created.body()).getString("client_secret"), "SESSION", session,
          "REDIRECT_URI", "http://127.0.0.1:1/cb"), "node", "interop.mjs");
      assertThat(interop.output()).contains("discovery ok", "client_credentials ok", "authorization_code ok",
          "userinfo ok", "refresh ok", "introspection and revocation ok");
      assertThat(interop.exit()).as(interop.output()).isZero();
    }
  }

  private record Run(int exit, String output) {
  }

  private static Run run(Path directory, Map<String, String> environment, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    boolean done = process.waitFor(180, TimeUnit.SECONDS);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      process.destroyForcibly();
    }
    return new Run(done ? process.exitValue() : -1, output);
  }

  private static HttpRequest json(String base, String path, String body) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }
}
