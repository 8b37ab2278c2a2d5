package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gatehouse.support.IssuerOnItsOwnPort;
import java.io.IOException;
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

    try (IssuerOnItsOwnPort server = IssuerOnItsOwnPort.start(Files.createDirectories(dir.resolve("data")), "otto",
        "{\"client_id\":\"node-app\",\"grants\":[\"authorization_code\",\"client_credentials\",\"refresh_token\"],"
            + "\"scopes\":[\"openid\",\"read\"],\"redirect_uris\":[\"http://127.0.0.1:1/cb\"],\"first_party\":true}")) {
      Run interop = run(project, Map.of("ISSUER", server.issuer, "CLIENT_ID", "node-app",
          "CLIENT_SECRET", server.clientSecret, "SESSION", server.session, "REDIRECT_URI", "http://127.0.0.1:1/cb"),
          "node", "interop.mjs");
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
}
