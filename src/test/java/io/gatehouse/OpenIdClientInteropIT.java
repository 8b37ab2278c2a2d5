package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.IssuerOnItsOwnPort;
import io.gatehouse.support.NodeInterop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * openid-client, the npm registry's widely used OAuth/OIDC client, against a running Gatehouse:
 * {@code src/test/interop/interop.mjs} does discovery, client_credentials, authorization code with
 * PKCE and id token checks, userinfo, refresh, introspection and revocation. Needs node and npm
 * ({@link NodeInterop} installs the package from the registry).
 */
class OpenIdClientInteropIT {

  @TempDir
  Path dir;

  @Test
  void openidClientCompletesEveryFlow() throws Exception {
    NodeInterop.installed();
    try (IssuerOnItsOwnPort server = IssuerOnItsOwnPort.start(Files.createDirectories(dir.resolve("data")), "otto",
        "{\"client_id\":\"node-app\",\"grants\":[\"authorization_code\",\"client_credentials\",\"refresh_token\"],"
            + "\"scopes\":[\"openid\",\"read\"],\"redirect_uris\":[\"http://127.0.0.1:1/cb\"],\"first_party\":true}")) {
      NodeInterop.Run interop = NodeInterop.run(Map.of("ISSUER", server.issuer, "CLIENT_ID", "node-app",
          "CLIENT_SECRET", server.clientSecret, "SESSION", server.session, "REDIRECT_URI", "http://127.0.0.1:1/cb"),
          "node", "interop.mjs");
      assertThat(interop.output()).contains("discovery ok", "client_credentials ok", "authorization_code ok",
          "userinfo ok", "refresh ok", "introspection and revocation ok");
      assertThat(interop.exit()).as(interop.output()).isZero();
    }
  }
}
