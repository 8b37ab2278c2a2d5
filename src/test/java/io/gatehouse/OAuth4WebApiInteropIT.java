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
 * oauth4webapi, the low-level OAuth 2 / OpenID Connect library of the npm registry (under
 * openid-client and Auth.js), against a running Gatehouse: {@code src/test/interop/oauth4webapi.mjs}
 * does discovery, authorization code with PKCE, the id token checked as a relying party with the
 * default {@code id_token_signed_response_alg} (RS256) and its signature verified against the JWK
 * set, the access token checked as the README's jose resource server does, userinfo, refresh,
 * introspection and revocation of both tokens. Needs node and npm.
 */
class OAuth4WebApiInteropIT {

  @TempDir
  Path dir;

  @Test
  void oauth4webapiCompletesEveryFlow() throws Exception {
    NodeInterop.installed();
    try (IssuerOnItsOwnPort server = IssuerOnItsOwnPort.start(Files.createDirectories(dir.resolve("data")), "wanda",
        "{\"client_id\":\"web-app\",\"grants\":[\"authorization_code\",\"refresh_token\"],"
            + "\"scopes\":[\"openid\",\"profile\",\"read\"],\"redirect_uris\":[\"http://127.0.0.1:1/cb\"],"
            + "\"first_party\":true}")) {
      NodeInterop.Run interop = NodeInterop.run(Map.of("ISSUER", server.issuer, "CLIENT_ID", "web-app",
          "CLIENT_SECRET", server.clientSecret, "SESSION", server.session, "REDIRECT_URI", "http://127.0.0.1:1/cb"),
          "node", "oauth4webapi.mjs");
      assertThat(interop.output()).contains("discovery ok", "authorization_code ok", "jose resource server ok",
          "userinfo ok", "refresh ok",
          "introspection and revocation ok");
      assertThat(interop.exit()).as(interop.output()).isZero();
    }
  }
}
