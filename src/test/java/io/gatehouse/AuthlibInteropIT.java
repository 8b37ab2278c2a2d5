package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gatehouse.support.IssuerOnItsOwnPort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authlib, Python's OAuth / OpenID Connect library, against a running Gatehouse:
 * {@code src/test/interop-python/authlib_client.py} does discovery, authorization code with PKCE,
 * the id token validated as Authlib's OpenID client does (RS256, {@code at_hash}, nonce), the
 * access token checked as the README's PyJWT resource server does, userinfo, refresh, introspection
 * and revocation. Needs Debian's {@code python3-authlib} and {@code python3-jwt} for the system
 * Python ({@code .ci/run} installs them; there is no PyPI here).
 */
class AuthlibInteropIT {

  static final Path PYTHON = Path.of("/usr/bin/python3");

  @TempDir
  Path dir;

  @Test
  void authlibCompletesEveryFlow() throws Exception {
    if (System.getenv("GATEHOUSE_REQUIRE_SERVICES") == null) {
      assumeTrue(Files.isExecutable(PYTHON) && run(Map.of(), PYTHON.toString(), "-c", "import authlib, jwt").exit() == 0,
          "python3-authlib or python3-jwt is not installed");
    }
    try (IssuerOnItsOwnPort server = IssuerOnItsOwnPort.start(Files.createDirectories(dir.resolve("data")), "alba",
        "{\"client_id\":\"py-app\",\"grants\":[\"authorization_code\",\"refresh_token\"],"
            + "\"scopes\":[\"openid\",\"profile\",\"read\"],\"redirect_uris\":[\"http://127.0.0.1:1/cb\"],"
            + "\"first_party\":true}")) {
      Run interop = run(Map.of("ISSUER", server.issuer, "CLIENT_ID", "py-app", "CLIENT_SECRET", server.clientSecret,
              "SESSION", server.session, "REDIRECT_URI", "http://127.0.0.1:1/cb",
              "AUTHLIB_INSECURE_TRANSPORT", "1"), // the test server listens on plain HTTP
          PYTHON.toString(), Path.of("src/test/interop-python/authlib_client.py").toString());
      assertThat(interop.output()).contains("discovery ok", "authorization_code ok", "pyjwt resource server ok",
          "userinfo ok", "refresh ok",
          "introspection and revocation ok");
      assertThat(interop.exit()).as(interop.output()).isZero();
    }
  }

  private record Run(int exit, String output) {
  }

  private Run run(Map<String, String> environment, String... command) throws Exception {
    Path log = Files.createTempFile(dir, "python", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    builder.environment().remove("PYTHONPATH"); // the system Python's own packages, as Debian installed them
    Process process = builder.start();
    process.getOutputStream().close();
    boolean done = process.waitFor(60, TimeUnit.SECONDS);
    if (!done) {
      process.destroyForcibly().waitFor();
    }
    return new Run(done ? process.exitValue() : -1, Files.readString(log, StandardCharsets.UTF_8));
  }
}
