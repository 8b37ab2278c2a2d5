package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import io.gatehouse.support.GatewayWithUpstream;
import io.gatehouse.support.LogCapture;
import io.gatehouse.support.TestIssuer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routes guarded by JWTs through the real gateway: an external issuer found by OIDC discovery
 * over HTTPS (an in-test provider) and one with static keys ({@code jwks_file}); roles, scopes and
 * audience per route; RFC 6750 challenges; the verified identity to the upstream and the token
 * kept from it.
 */
class JwtRouteIT {

  @TempDir
  static Path dir;
  static TestIssuer issuer;
  static ECKey fileKey;
  static GatewayWithUpstream env;
  static LogCapture audit;

  @BeforeAll
  static void start() throws Exception {
    issuer = TestIssuer.start(Files.createDirectories(dir.resolve("issuer")));
    fileKey = new ECKeyGenerator(Curve.P_256).keyID("file-1").generate();
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(fileKey).toPublicJWKSet().toString());
    audit = new LogCapture("gatehouse.audit");
    env = GatewayWithUpstream.start(Files.createDirectories(dir.resolve("data")), """
        issuers:
          - { name: idp, issuer: "${ISSUER}", audience: api, ca_file: "${CA}" }
          - { name: local, issuer: local-issuer, audience: [api, other], jwks_file: "${JWKS}" }
        routes:
          - { id: books, path: /books/**, upstream: "${UP}", auth: [jwt:idp, jwt:local], scopes: ["books:read"] }
          - { id: admin, path: /admin-api/**, upstream: "${UP}", auth: [jwt:idp], roles: [admin, ops] }
          - { id: aud, path: /aud/**, upstream: "${UP}", auth: [jwt:local], audience: other }
          - { id: fwd, path: /fwd/**, upstream: "${UP}", auth: [jwt:idp], forward_credentials: true }
          - { id: ident, path: /ident/**, upstream: "${UP}", auth: [jwt:local], identity_token: true }
        """, Map.of("ISSUER", issuer.issuer(), "CA", issuer.caFile().toString(), "JWKS", jwks.toString()));
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
    if (issuer != null) {
      issuer.close();
    }
    if (audit != null) {
      audit.close();
    }
  }

  static String bearer(String token) {
    return "Bearer " + token;
  }

  static String localToken(java.util.function.Consumer<JWTClaimsSet.Builder> change) throws Exception {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer("local-issuer").audience("api").subject("svc-7")
        .expirationTime(Date.from(Instant.now().plusSeconds(300))).claim("scope", "books:read");
    change.accept(claims);
    return TestIssuer.sign(fileKey, claims.build());
  }

  @Test
  void aValidTokenReachesTheUpstreamAsAVerifiedIdentityWithoutTheToken() throws Exception {
    String token = issuer.token("alice", c -> c.claim("scope", "books:read books:write").claim("roles", List.of("reader"))
        .claim("client_id", "web-app"));
    HttpResponse<String> response = env.gateway.get("/books/1", "Authorization", bearer(token),
        "X-Gatehouse-Subject", "mallory", "X-Gatehouse-Roles", "admin");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject headers = new JsonObject(response.body()).getJsonObject("headers");
    assertThat(headers.getString("x-gatehouse-subject")).isEqualTo("alice");
    assertThat(headers.getString("x-gatehouse-roles")).isEqualTo("reader");
    assertThat(headers.getString("x-gatehouse-scopes")).isEqualTo("books:read books:write");
    assertThat(headers.getString("x-gatehouse-client")).isEqualTo("web-app");
    assertThat(headers.getString("x-gatehouse-auth")).isEqualTo("jwt");
    assertThat(headers.containsKey("authorization")).as("the token stays at the gateway").isFalse();

    HttpResponse<String> local = env.gateway.get("/books/2", "Authorization", bearer(localToken(c -> { })));
    assertThat(local.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(local.body()).getJsonObject("headers").getString("x-gatehouse-subject")).isEqualTo("svc-7");

    HttpResponse<String> forwarded = env.gateway.get("/fwd/x", "Authorization", bearer(token));
    assertThat(new JsonObject(forwarded.body()).getJsonObject("headers").getString("authorization"))
        .as("forward_credentials: true").isEqualTo(bearer(token));
  }

  @Test
  void missingAndInvalidTokensGetTheRfc6750Challenges() throws Exception {
    int before = env.upstream.requests.get();
    HttpResponse<String> missing = env.gateway.get("/books/1");
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"gatehouse\", "
        + "resource_metadata=\"https://localhost:8443/.well-known/oauth-protected-resource/books\"");
    assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");

    String expired = issuer.token("alice", c -> c.claim("scope", "books:read")
        .expirationTime(Date.from(Instant.now().minusSeconds(120))));
    ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID(issuer.currentKid()).generate();
    String forged = TestIssuer.sign(stranger, new JWTClaimsSet.Builder().issuer(issuer.issuer()).audience("api")
        .subject("alice").claim("scope", "books:read").expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
    for (String bad : List.of(expired, forged, "a.b.c", localToken(c -> c.audience("nobody")),
        localToken(c -> c.issuer(issuer.issuer())))) {
      HttpResponse<String> response = env.gateway.get("/books/1", "Authorization", bearer(bad));
      assertThat(response.statusCode()).as(bad).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"gatehouse\", "
          + "error=\"invalid_token\", resource_metadata=\"https://localhost:8443/.well-known/oauth-protected-resource/books\"");
      JsonObject problem = new JsonObject(response.body());
      assertThat(problem.getString("request_id")).isNotBlank();
      assertThat(response.body()).doesNotContain("expired", "signature", "alice");
    }
    assertThat(env.upstream.requests.get()).as("nothing refused reached the upstream").isEqualTo(before);
    assertThat(String.join("\n", audit.raw())).contains("access.denied").contains("reason=expired")
        .contains("reason=signature").doesNotContain(expired).doesNotContain(forged);
  }

  @Test
  void scopesRolesAndAudienceAreEnforcedPerRoute() throws Exception {
    HttpResponse<String> noScope = env.gateway.get("/books/1", "Authorization",
        bearer(issuer.token("alice", c -> c.claim("scope", "books:write"))));
    assertThat(noScope.statusCode()).isEqualTo(403);
    assertThat(noScope.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"gatehouse\", error=\"insufficient_scope\", scope=\"books:read\"");

    String reader = issuer.token("bob", c -> c.claim("roles", List.of("reader")));
    assertThat(env.gateway.get("/admin-api/x", "Authorization", bearer(reader)).statusCode()).isEqualTo(403);
    String ops = issuer.token("bob", c -> c.claim("roles", List.of("reader", "ops")));
    assertThat(env.gateway.get("/admin-api/x", "Authorization", bearer(ops)).statusCode()).isEqualTo(200);

    assertThat(env.gateway.get("/aud/x", "Authorization", bearer(localToken(c -> { }))).statusCode())
        .as("aud api only; the route needs other").isEqualTo(401);
    assertThat(env.gateway.get("/aud/x", "Authorization", bearer(localToken(c -> c.audience(List.of("api", "other")))))
        .statusCode()).isEqualTo(200);
    assertThat(String.join("\n", audit.raw())).contains("reason=scope").contains("reason=role");
  }

  @Test
  void protectedResourceMetadataTellsClientsWhereToGetATokenRfc9728() throws Exception {
    JsonObject gateway = new JsonObject(env.gateway.get("/.well-known/oauth-protected-resource").body());
    assertThat(gateway.getString("resource")).isEqualTo("https://localhost:8443");
    assertThat(gateway.getJsonArray("authorization_servers").getList()).containsExactly(issuer.issuer());
    assertThat(gateway.getJsonArray("scopes_supported").getList()).containsExactly("books:read");
    assertThat(gateway.getJsonArray("bearer_methods_supported").getList()).containsExactly("header");

    HttpResponse<String> books = env.gateway.get("/.well-known/oauth-protected-resource/books");
    assertThat(books.statusCode()).isEqualTo(200);
    JsonObject route = new JsonObject(books.body());
    assertThat(route.getString("resource")).isEqualTo("https://localhost:8443/books");
    assertThat(route.getJsonArray("authorization_servers").getList())
        .as("local-issuer is not an https issuer identifier").containsExactly(issuer.issuer());
    assertThat(env.gateway.get("/.well-known/oauth-protected-resource/nothing").statusCode()).isEqualTo(404);
    assertThat(env.gateway.get("/admin-api/x").headers().firstValue("WWW-Authenticate").orElseThrow())
        .endsWith("resource_metadata=\"https://localhost:8443/.well-known/oauth-protected-resource/admin-api\"");
  }

  @Test
  void anIdentityTokenSignedByGatehouseCarriesTheCallerToUpstreamsThatVerify() throws Exception {
    HttpResponse<String> response = env.gateway.get("/ident/x", "Authorization", bearer(localToken(c -> { })));
    assertThat(response.statusCode()).isEqualTo(200);
    String identity = new JsonObject(response.body()).getJsonObject("headers").getString("x-gatehouse-identity");
    assertThat(identity).isNotNull();

    HttpResponse<String> jwks = env.gateway.get("/oauth2/jwks");
    assertThat(jwks.headers().firstValue("Content-Type")).hasValue("application/jwk-set+json");
    assertThat(jwks.body()).doesNotContain("\"d\"");
    JWKSet keys = JWKSet.parse(jwks.body());
    com.nimbusds.jwt.SignedJWT jwt = com.nimbusds.jwt.SignedJWT.parse(identity);
    ECKey key = (ECKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
    assertThat(jwt.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(key))).isTrue();
    assertThat(jwt.getHeader().getType().getType()).isEqualTo("gatehouse-identity+jwt");
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo("svc-7");
    assertThat(claims.getAudience()).containsExactly("route:ident");
    assertThat(claims.getIssuer()).isEqualTo("https://localhost:8443");
    assertThat(claims.getStringClaim("scope")).isEqualTo("books:read");
    assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(60_000);

    HttpResponse<String> forged = env.gateway.get("/books/1", "Authorization", bearer(localToken(c -> { })),
        "X-Gatehouse-Identity", identity);
    assertThat(new JsonObject(forged.body()).getJsonObject("headers").containsKey("x-gatehouse-identity"))
        .as("a client's identity token never passes").isFalse();
  }

  @Test
  void theIssuersKeyStateIsVisibleInHealthAndMetrics() throws Exception {
    // A token arriving before the first fetch finished waits for that fetch rather than failing.
    assertThat(env.gateway.get("/fwd/x", "Authorization", bearer(issuer.token("dave", c -> { }))).statusCode())
        .isEqualTo(200);
    HttpResponse<String> ready = env.gateway.send(java.net.http.HttpRequest.newBuilder(
        env.gateway.management("/health/ready")).build());
    assertThat(new JsonObject(ready.body()).getJsonObject("notices").getString("issuer:idp")).isEqualTo("UP");
    HttpResponse<String> metrics = env.gateway.send(java.net.http.HttpRequest.newBuilder(
        env.gateway.management("/metrics")).build());
    assertThat(metrics.body()).contains("gatehouse_issuer_keys{issuer=\"idp\"}")
        .contains("gatehouse_issuer_keys_stale{issuer=\"idp\"} 0.0");
  }
}
