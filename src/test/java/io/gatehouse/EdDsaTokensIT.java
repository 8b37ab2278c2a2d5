package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.support.GatewayWithUpstream;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With {@code tokens.algorithm: EdDSA} Gatehouse signs with Ed25519 keys, and its routes and metadata follow. */
class EdDsaTokensIT {

  @Test
  void ed25519TokensAreIssuedPublishedAndAdmitted(@TempDir Path dir) throws Exception {
    try (GatewayWithUpstream env = GatewayWithUpstream.start(dir, """
        tokens: { algorithm: EdDSA }
        routes:
          - { id: api, path: /api/**, upstream: "${UP}", auth: [jwt] }
        """, Map.of())) {
      String credentials = "{\"username\":\"eddie\",\"password\":\"correct horse battery staple\"}";
      env.gateway.send(HttpRequest.newBuilder(env.gateway.http("/auth/signup")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(credentials)).build());
      String access = new JsonObject(env.gateway.send(HttpRequest.newBuilder(env.gateway.http("/auth/login"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(credentials)).build())
          .body()).getString("access_token");
      assertThat(SignedJWT.parse(access).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
      assertThat(env.gateway.get("/api/x", "Authorization", "Bearer " + access).statusCode()).isEqualTo(200);
      assertThat(env.gateway.get("/oauth2/jwks").body()).contains("\"crv\":\"Ed25519\"").doesNotContain("\"d\"");
      assertThat(new JsonObject(env.gateway.get("/.well-known/openid-configuration").body())
          .getJsonArray("id_token_signing_alg_values_supported").getList()).containsExactly("EdDSA");
    }
  }
}
