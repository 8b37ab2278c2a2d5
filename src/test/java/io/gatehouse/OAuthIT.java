package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.support.GatewayWithUpstream;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token endpoint's client_credentials grant end to end: a client registered through the admin
 * API gets an RFC 9068 access token that a route with {@code auth: [jwt]} admits and that verifies
 * with {@code /oauth2/jwks}; every error is RFC 6749 JSON.
 */
class OAuthIT {

  static final String PASSWORD = "correct horse battery staple";

  @TempDir
  static Path dir;
  static GatewayWithUpstream env;
  static String secret;

  @BeforeAll
  static void start() throws Exception {
    env = GatewayWithUpstream.start(dir, """
        signup: { default_roles: [admin] }
        routes:
          - { id: svc, path: /svc/**, upstream: "${UP}", auth: [jwt], scopes: ["svc:read"], audience: "https://api.example" }
          - { id: aud, path: /aud/**, upstream: "${UP}", auth: [jwt], audience: "https://other.example" }
          - { id: plain, path: /plain/**, upstream: "${UP}", auth: [jwt] }
        """, Map.of());
    send(env.gateway.http("/auth/signup"), "POST", "{\"username\":\"root\",\"password\":\"" + PASSWORD + "\"}",
        "application/json", null);
    String admin = new JsonObject(send(env.gateway.http("/auth/login"), "POST",
        "{\"username\":\"root\",\"password\":\"" + PASSWORD + "\"}", "application/json", null).body()).getString("session_token");
    HttpResponse<String> created = send(env.gateway.management("/admin/clients"), "POST",
        "{\"client_id\":\"billing\",\"scopes\":[\"svc:read\",\"svc:write\"],\"audiences\":[\"https://api.example\"]}",
        "application/json", "Bearer " + admin);
    assertThat(created.statusCode()).isEqualTo(201);
    secret = new JsonObject(created.body()).getString("client_secret");
    assertThat(send(env.gateway.management("/admin/clients"), "POST", "{\"client_id\":\"billing\"}", "application/json",
        "Bearer " + admin).statusCode()).isEqualTo(409);
    assertThat(send(env.gateway.management("/admin/clients"), "GET", null, null, "Bearer " + admin).body())
        .contains("billing").doesNotContain(secret);
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  static HttpResponse<String> send(java.net.URI uri, String method, String body, String type, String authorization)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      request.header("Content-Type", type);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return env.gateway.send(request.build());
  }

  static String basic(String id, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((URLEncoder.encode(id, StandardCharsets.UTF_8) + ":"
        + URLEncoder.encode(password, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> token(String form, String authorization) throws Exception {
    return send(env.gateway.http("/oauth2/token"), "POST", form, "application/x-www-form-urlencoded", authorization);
  }

  @Test
  void aClientGetsAnAccessTokenThatARouteAdmits() throws Exception {
    HttpResponse<String> response = token("grant_type=client_credentials&scope=svc%3Aread", basic("billing", secret));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("token_type")).isEqualTo("Bearer");
    assertThat(body.getLong("expires_in")).isEqualTo(600L);
    assertThat(body.getString("scope")).isEqualTo("svc:read");
    String token = body.getString("access_token");

    SignedJWT jwt = SignedJWT.parse(token);
    assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
    JWKSet keys = JWKSet.parse(env.gateway.get("/oauth2/jwks").body());
    assertThat(jwt.verify(new ECDSAVerifier((ECKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID())))).isTrue();
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("billing");
    assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("https://api.example");
    assertThat(jwt.getJWTClaimsSet().getJWTID()).isNotBlank();

    HttpResponse<String> admitted = env.gateway.get("/svc/x", "Authorization", "Bearer " + token);
    assertThat(admitted.statusCode()).isEqualTo(200);
    JsonObject headers = new JsonObject(admitted.body()).getJsonObject("headers");
    assertThat(headers.getString("x-gatehouse-subject")).isEqualTo("billing");
    assertThat(headers.getString("x-gatehouse-client")).isEqualTo("billing");
    assertThat(headers.getString("x-gatehouse-scopes")).isEqualTo("svc:read");
    assertThat(env.gateway.get("/aud/x", "Authorization", "Bearer " + token).statusCode()).isEqualTo(401);

    String post = token("grant_type=client_credentials&client_id=billing&client_secret="
        + URLEncoder.encode(secret, StandardCharsets.UTF_8), null).body();
    assertThat(new JsonObject(post).getString("scope")).as("all its scopes by default").isEqualTo("svc:read svc:write");
  }

  @Test
  void errorsAreRfc6749Json() throws Exception {
    HttpResponse<String> badSecret = token("grant_type=client_credentials", basic("billing", "wrong"));
    assertThat(badSecret.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(badSecret.body()).getString("error")).isEqualTo("invalid_client");
    assertThat(badSecret.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"gatehouse\"");
    assertThat(badSecret.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    assertThat(token("grant_type=client_credentials", basic("nobody", secret)).statusCode()).isEqualTo(401);
    assertThat(token("grant_type=client_credentials", null).statusCode()).isEqualTo(401);

    Map<String, String> cases = Map.of(
        "grant_type=client_credentials&scope=admin", "invalid_scope",
        "grant_type=client_credentials&resource=https%3A%2F%2Fevil.example", "invalid_target",
        "grant_type=password&username=a&password=b", "unsupported_grant_type",
        "scope=svc%3Aread", "invalid_request",
        "grant_type=client_credentials&grant_type=client_credentials", "invalid_request");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> response = token(c.getKey(), basic("billing", secret));
      assertThat(response.statusCode()).as(c.getKey()).isEqualTo(400);
      JsonObject error = new JsonObject(response.body());
      assertThat(error.getString("error")).as(c.getKey()).isEqualTo(c.getValue());
      assertThat(response.body()).doesNotContain(secret);
    }
    HttpResponse<String> json = send(env.gateway.http("/oauth2/token"), "POST", "{\"grant_type\":\"client_credentials\"}",
        "application/json", basic("billing", secret));
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(json.body()).getString("error")).isEqualTo("invalid_request");
    assertThat(send(env.gateway.http("/oauth2/token"), "GET", null, null, null).statusCode()).isEqualTo(405);
  }

  static String issue(String id, String password) throws Exception {
    return new JsonObject(token("grant_type=client_credentials", basic(id, password)).body()).getString("access_token");
  }

  static HttpResponse<String> form(String path, String form, String authorization) throws Exception {
    return send(env.gateway.http(path), "POST", form, "application/x-www-form-urlencoded", authorization);
  }

  @Test
  void introspectionTellsWhetherATokenIsActive() throws Exception {
    String token = issue("billing", secret);
    HttpResponse<String> active = form("/oauth2/introspect", "token=" + token, basic("billing", secret));
    assertThat(active.statusCode()).isEqualTo(200);
    JsonObject answer = new JsonObject(active.body());
    assertThat(answer.getBoolean("active")).isTrue();
    assertThat(answer.getString("sub")).isEqualTo("billing");
    assertThat(answer.getString("client_id")).isEqualTo("billing");
    assertThat(answer.getString("scope")).isEqualTo("svc:read svc:write");
    assertThat(answer.getString("token_type")).isEqualTo("Bearer");
    assertThat(answer.getString("jti")).isNotBlank();
    assertThat(answer.getLong("exp")).isGreaterThan(answer.getLong("iat"));

    for (String junk : new String[] {"not-a-token", "a.b.c", token.substring(0, token.length() - 4) + "AAAA"}) {
      JsonObject inactive = new JsonObject(form("/oauth2/introspect", "token=" + junk, basic("billing", secret)).body());
      assertThat(inactive.fieldNames()).containsExactly("active");
      assertThat(inactive.getBoolean("active")).isFalse();
    }
    assertThat(form("/oauth2/introspect", "token=" + token, null).statusCode()).isEqualTo(401);
    assertThat(form("/oauth2/introspect", "token=" + token, basic("billing", "wrong")).statusCode()).isEqualTo(401);
    assertThat(form("/oauth2/introspect", "", basic("billing", secret)).statusCode()).isEqualTo(400);
  }

  @Test
  void aRevokedTokenStopsWorkingAtOnceEvenFromTheCacheAndAcrossARestart() throws Exception {
    String token = issue("billing", secret);
    assertThat(env.gateway.get("/svc/x", "Authorization", "Bearer " + token).statusCode()).as("now cached").isEqualTo(200);
    HttpResponse<String> revoked = form("/oauth2/revoke", "token=" + token + "&token_type_hint=access_token",
        basic("billing", secret));
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(env.gateway.get("/svc/x", "Authorization", "Bearer " + token).statusCode()).isEqualTo(401);
    assertThat(new JsonObject(form("/oauth2/introspect", "token=" + token, basic("billing", secret)).body())
        .getBoolean("active")).isFalse();
    assertThat(form("/oauth2/revoke", "token=" + token, basic("billing", secret)).statusCode())
        .as("again: nothing to do, still 200").isEqualTo(200);
    assertThat(form("/oauth2/revoke", "token=garbage", basic("billing", secret)).statusCode()).isEqualTo(200);
    assertThat(form("/oauth2/revoke", "token=" + issue("billing", secret), basic("nobody", "x")).statusCode())
        .isEqualTo(401);

    // The revocation is durable: a restarted gateway on the same data still refuses the token.
    try (var restarted = io.gatehouse.support.GatehouseFixture.start(dir, """
        routes:
          - { id: svc, path: /svc/**, respond: { body: ok }, auth: [jwt], audience: "https://api.example" }
        """, Map.of())) {
      assertThat(restarted.get("/svc/x", "Authorization", "Bearer " + token).statusCode()).isEqualTo(401);
      assertThat(restarted.get("/svc/x", "Authorization", "Bearer " + issue("billing", secret)).statusCode())
          .isEqualTo(200);
    }
  }

  static JsonObject login(String username) throws Exception {
    HttpResponse<String> login = send(env.gateway.http("/auth/login"), "POST",
        "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}", "application/json", null);
    assertThat(login.statusCode()).isEqualTo(200);
    return new JsonObject(login.body());
  }

  static HttpResponse<String> refresh(String refreshToken) throws Exception {
    return token("grant_type=refresh_token&client_id=gatehouse&refresh_token=" + refreshToken, null);
  }

  @Test
  void aLoginGivesTokensThatRotateAndAReusedRefreshTokenRevokesItsFamily() throws Exception {
    JsonObject login = login("root");
    assertThat(login.getString("session_token")).isNotBlank();
    String access = login.getString("access_token");
    String refresh = login.getString("refresh_token");
    SignedJWT jwt = SignedJWT.parse(access);
    assertThat(jwt.getJWTClaimsSet().getStringListClaim("roles")).containsExactly("admin");
    assertThat(jwt.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo("gatehouse");
    assertThat(env.gateway.get("/plain/x", "Authorization", "Bearer " + access).statusCode()).isEqualTo(200);

    HttpResponse<String> first = refresh(refresh);
    assertThat(first.statusCode()).isEqualTo(200);
    JsonObject rotated = new JsonObject(first.body());
    String access2 = rotated.getString("access_token");
    String refresh2 = rotated.getString("refresh_token");
    assertThat(refresh2).isNotEqualTo(refresh);
    assertThat(env.gateway.get("/plain/x", "Authorization", "Bearer " + access2).statusCode()).isEqualTo(200);

    // The first refresh token again: it leaked. Its family and the access tokens it issued are revoked.
    HttpResponse<String> reused = refresh(refresh);
    assertThat(reused.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(reused.body()).getString("error")).isEqualTo("invalid_grant");
    assertThat(refresh(refresh2).statusCode()).as("the whole family").isEqualTo(400);
    assertThat(env.gateway.get("/plain/x", "Authorization", "Bearer " + access2).statusCode()).isEqualTo(401);
    assertThat(env.gateway.get("/plain/x", "Authorization", "Bearer " + access).statusCode()).isEqualTo(401);

    assertThat(refresh("garbage").statusCode()).isEqualTo(400);
    assertThat(token("grant_type=refresh_token&refresh_token=" + login("root").getString("refresh_token"),
        basic("billing", secret)).statusCode()).as("billing may not refresh, nor use gatehouse's tokens").isEqualTo(400);
    assertThat(token("grant_type=client_credentials&client_id=gatehouse", null).statusCode()).as("client_credentials needs client authentication").isEqualTo(401);
  }

  @Test
  void theBuiltInClientCanRevokeItsRefreshToken() throws Exception {
    JsonObject login = login("root");
    String refresh = login.getString("refresh_token");
    assertThat(form("/oauth2/revoke", "token=" + refresh + "&client_id=gatehouse", null).statusCode()).isEqualTo(200);
    assertThat(refresh(refresh).statusCode()).isEqualTo(400);
    assertThat(env.gateway.get("/plain/x", "Authorization", "Bearer " + login.getString("access_token")).statusCode())
        .as("the access token issued with it goes too").isEqualTo(401);
    String other = login("root").getString("refresh_token");
    assertThat(form("/oauth2/revoke", "token=" + other, basic("billing", secret)).statusCode())
        .as("not billing's to revoke").isEqualTo(400);
    assertThat(refresh(other).statusCode()).isEqualTo(200);
  }

  @Test
  void aClientWithKeysAuthenticatesWithPrivateKeyJwtOncePerAssertion() throws Exception {
    com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
        .keyID("k1").generate();
    String admin = new JsonObject(send(env.gateway.http("/auth/login"), "POST",
        "{\"username\":\"root\",\"password\":\"" + PASSWORD + "\"}", "application/json", null).body())
        .getString("session_token");
    HttpResponse<String> created = send(env.gateway.management("/admin/clients"), "POST",
        "{\"client_id\":\"signer\",\"scopes\":[\"svc:read\"],\"jwks\":" + new JWKSet(key.toPublicJWK()) + "}",
        "application/json", "Bearer " + admin);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(new JsonObject(created.body()).containsKey("client_secret")).isFalse();
    assertThat(new JsonObject(created.body()).getString("token_endpoint_auth_method")).isEqualTo("private_key_jwt");
    assertThat(send(env.gateway.management("/admin/clients"), "POST",
        "{\"client_id\":\"leaky\",\"jwks\":" + new JWKSet(key).toString(false) + "}", "application/json", "Bearer " + admin)
        .statusCode()).as("a private key is refused").isEqualTo(400);

    java.net.URI endpoint = java.net.URI.create("https://localhost:8443/oauth2/token");
    com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT assertion = new com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT(
        new com.nimbusds.oauth2.sdk.id.ClientID("signer"), endpoint, com.nimbusds.jose.JWSAlgorithm.ES256,
        key.toECPrivateKey(), "k1", null);
    String form = "grant_type=client_credentials&client_assertion_type="
        + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
        + "&client_assertion=" + assertion.getClientAssertion().serialize();
    HttpResponse<String> issued = token(form, null);
    assertThat(issued.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(issued.body()).getString("scope")).isEqualTo("svc:read");
    assertThat(token(form, null).statusCode()).as("the same assertion twice").isEqualTo(401);

    com.nimbusds.jose.jwk.ECKey other = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
        .keyID("k1").generate();
    com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT forged = new com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT(
        new com.nimbusds.oauth2.sdk.id.ClientID("signer"), endpoint, com.nimbusds.jose.JWSAlgorithm.ES256,
        other.toECPrivateKey(), "k1", null);
    assertThat(token("grant_type=client_credentials&client_assertion_type="
        + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
        + "&client_assertion=" + forged.getClientAssertion().serialize(), null).statusCode()).isEqualTo(401);
  }

  /** A client assertion (RFC 7523) of {@code signer2}, with what the test varies. */
  static String assertionForm(com.nimbusds.jose.jwk.ECKey key, java.util.List<String> audience, long expiresInSeconds)
      throws Exception {
    com.nimbusds.jwt.JWTClaimsSet claims = new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer("signer2")
        .subject("signer2").audience(audience).jwtID(java.util.UUID.randomUUID().toString())
        .issueTime(new java.util.Date())
        .expirationTime(new java.util.Date(System.currentTimeMillis() + expiresInSeconds * 1000)).build();
    SignedJWT jwt = new SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256)
        .keyID("k2").build(), claims);
    jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(key));
    return assertionForm(jwt.serialize());
  }

  static String assertionForm(String assertion) {
    return "grant_type=client_credentials&client_assertion_type="
        + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
        + "&client_assertion=" + assertion;
  }

  @Test
  void aClientAssertionWorksOnceEvenAcrossARestartAndOnlyForItsOwnAudienceAndShortLifetime() throws Exception {
    com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
        .keyID("k2").generate();
    String admin = login("root").getString("session_token");
    assertThat(send(env.gateway.management("/admin/clients"), "POST",
        "{\"client_id\":\"signer2\",\"scopes\":[\"svc:read\"],\"jwks\":" + new JWKSet(key.toPublicJWK()) + "}",
        "application/json", "Bearer " + admin).statusCode()).isEqualTo(201);
    String issuer = "https://localhost:8443";
    String tokenEndpoint = issuer + "/oauth2/token";

    String once = assertionForm(key, java.util.List.of(tokenEndpoint), 60);
    assertThat(token(once, null).statusCode()).isEqualTo(200);
    try (var restarted = io.gatehouse.support.GatehouseFixture.start(dir, "", Map.of())) {
      HttpResponse<String> replayed = restarted.send(HttpRequest.newBuilder(restarted.http("/oauth2/token"))
          .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(once))
          .build());
      assertThat(replayed.statusCode()).as("spent before the restart").isEqualTo(401);
      assertThat(new JsonObject(replayed.body()).getString("error")).isEqualTo("invalid_client");
    }

    assertThat(token(assertionForm(key, java.util.List.of(issuer), 60), null).statusCode()).as("the issuer").isEqualTo(200);
    assertThat(token(assertionForm(key, java.util.List.of(tokenEndpoint), 10 * 60), null).statusCode())
        .as("expires more than 5 minutes ahead").isEqualTo(401);
    assertThat(token(assertionForm(key, java.util.List.of(issuer, tokenEndpoint), 60), null).statusCode())
        .as("several audiences").isEqualTo(401);
    assertThat(token(assertionForm(key, java.util.List.of(issuer + "/oauth2/introspect"), 60), null).statusCode())
        .as("another endpoint's").isEqualTo(401);
    assertThat(token(assertionForm(key, java.util.List.of("https://other.example"), 60), null).statusCode())
        .as("another server's").isEqualTo(401);

    String unsigned = "eyJhbGciOiJub25lIn0." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("{\"iss\":\"signer2\",\"sub\":\"signer2\",\"aud\":\"" + tokenEndpoint + "\",\"jti\":\"x\",\"exp\":"
            + (System.currentTimeMillis() / 1000 + 60) + "}").getBytes(StandardCharsets.UTF_8)) + ".";
    HttpResponse<String> none = token(assertionForm(unsigned), null);
    assertThat(none.statusCode()).as("alg: none").isEqualTo(401);
    assertThat(new JsonObject(none.body()).getString("error")).isEqualTo("invalid_client");
  }

  @Test
  void metadataListsWhatIsSupported() throws Exception {
    JsonObject metadata = new JsonObject(env.gateway.get("/.well-known/oauth-authorization-server").body());
    assertThat(metadata.getString("issuer")).isEqualTo("https://localhost:8443");
    assertThat(metadata.getString("token_endpoint")).isEqualTo("https://localhost:8443/oauth2/token");
    assertThat(metadata.getString("jwks_uri")).isEqualTo("https://localhost:8443/oauth2/jwks");
    assertThat(metadata.getJsonArray("grant_types_supported").getList()).containsExactly("authorization_code", "client_credentials", "refresh_token");
    assertThat(metadata.getJsonArray("token_endpoint_auth_methods_supported").getList())
        .containsExactly("client_secret_basic", "client_secret_post", "private_key_jwt");
  }
}
