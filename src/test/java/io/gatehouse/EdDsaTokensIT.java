package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import io.gatehouse.support.CodeFlow;
import io.gatehouse.support.GatewayWithUpstream;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code tokens.algorithm: EdDSA} Gatehouse signs access tokens with Ed25519 keys, and its
 * routes and metadata follow; id tokens are RS256 unless a client registered EdDSA.
 */
class EdDsaTokensIT {

  @Test
  void ed25519TokensAreIssuedPublishedAndAdmitted(@TempDir Path dir) throws Exception {
    try (GatewayWithUpstream env = GatewayWithUpstream.start(dir, """
        tokens: { algorithm: EdDSA }
        signup: { default_roles: [admin] }
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
          .getJsonArray("id_token_signing_alg_values_supported").getList()).containsExactly("RS256", "EdDSA");

      // An EdDSA id token is a good logout hint too.
      String session = new JsonObject(env.gateway.send(HttpRequest.newBuilder(env.gateway.http("/auth/login"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(credentials)).build())
          .body()).getString("session_token");
      assertThat(env.gateway.send(HttpRequest.newBuilder(env.gateway.management("/admin/clients"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + session)
          .POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"app\",\"public\":true,\"first_party\":true,"
              + "\"grants\":[\"authorization_code\"],\"scopes\":[\"openid\"],\"redirect_uris\":[\"http://127.0.0.1:1/cb\"],"
              + "\"id_token_signed_response_alg\":\"EdDSA\"}"))
          .build()).statusCode()).isEqualTo(201);
      JsonObject tokens = CodeFlow.publicClient(env.gateway, "app", "http://127.0.0.1:1/cb")
          .tokens(session, "&scope=openid");
      String idToken = tokens.getString("id_token");
      assertThat(SignedJWT.parse(idToken).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
      // OpenID Connect Core §3.1.3.6: the hash of the id token's algorithm, SHA-512 for Ed25519.
      assertThat(SignedJWT.parse(idToken).getJWTClaimsSet().getStringClaim("at_hash")).isEqualTo(
          AccessTokenHash.compute(new BearerAccessToken(tokens.getString("access_token")), JWSAlgorithm.EdDSA,
              Curve.Ed25519).getValue());
      assertThat(env.gateway.get("/oauth2/logout?id_token_hint=" + idToken).statusCode()).isEqualTo(302);
      assertThat(env.gateway.get("/auth/session", "Authorization", "Bearer " + session).statusCode()).isEqualTo(401);
    }
  }
}
