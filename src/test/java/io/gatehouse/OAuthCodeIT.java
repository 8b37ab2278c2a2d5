package io.gatehouse;

import static io.gatehouse.support.CodeFlow.params;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.gatehouse.identity.Sessions;
import io.gatehouse.support.CodeFlow;
import io.gatehouse.support.GatewayWithUpstream;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authorization code grant with PKCE over HTTP: sign-in redirect, the code at the client's
 * redirect URI with state and iss, its exchange once, and a replay revoking what it issued.
 */
class OAuthCodeIT {

  static final String PASSWORD = "correct horse battery staple";
  static final String CALLBACK = "http://127.0.0.1:9999/cb";

  @TempDir
  static Path dir;
  static GatewayWithUpstream env;
  static String session;
  static CodeFlow spa;
  /** A confidential client; only its authorization requests and consent are sent here. */
  static CodeFlow partner;

  @BeforeAll
  static void start() throws Exception {
    env = GatewayWithUpstream.start(dir, """
        signup: { default_roles: [admin] }
        routes:
          - { id: plain, path: /plain/**, upstream: "${UP}", auth: [jwt] }
        """, Map.of());
    spa = CodeFlow.publicClient(env.gateway, "spa", CALLBACK);
    partner = CodeFlow.publicClient(env.gateway, "partner", "https://partner.example/cb");
    send("POST", env.gateway.http("/auth/signup"), "{\"username\":\"ann\",\"password\":\"" + PASSWORD + "\"}",
        "application/json", null);
    session = new JsonObject(send("POST", env.gateway.http("/auth/login"),
        "{\"username\":\"ann\",\"password\":\"" + PASSWORD + "\"}", "application/json", null).body())
        .getString("session_token");
    assertThat(send("POST", env.gateway.management("/admin/clients"), """
        {"client_id":"spa","public":true,"first_party":true,"grants":["authorization_code","refresh_token"],
         "scopes":["svc:read","openid","profile","email"],"redirect_uris":["%s"]}""".formatted(CALLBACK),
        "application/json", session).statusCode()).isEqualTo(201);
    assertThat(send("POST", env.gateway.management("/admin/clients"), """
        {"client_id":"spa-es","public":true,"first_party":true,"grants":["authorization_code"],
         "scopes":["openid"],"redirect_uris":["%s"],"id_token_signed_response_alg":"ES256"}""".formatted(CALLBACK),
        "application/json", session).statusCode()).isEqualTo(201);
    assertThat(send("POST", env.gateway.management("/admin/clients"), """
        {"client_id":"partner","grants":["authorization_code"],"redirect_uris":["https://partner.example/cb"]}""",
        "application/json", session).statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  static HttpResponse<String> send(String method, URI uri, String body, String type, String bearer) throws Exception {
    return env.gateway.send(method, uri, body, type, bearer);
  }


  static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Test
  void aSignedInUserGetsACodeThatBuysTokensOnce() throws Exception {
    CodeVerifier verifier = new CodeVerifier();
    HttpResponse<String> anonymous = spa.authorize(spa.query(verifier, ""), null);
    assertThat(anonymous.statusCode()).isEqualTo(303);
    assertThat(anonymous.headers().firstValue("Location").orElseThrow()).startsWith("/auth/login?return_to=%2Foauth2%2Fauthorize%3F");

    HttpResponse<String> granted = spa.authorize(spa.query(verifier, "&scope=svc%3Aread"), session);
    assertThat(granted.statusCode()).isEqualTo(302);
    String location = granted.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(CALLBACK + "?");
    Map<String, String> answer = params(location);
    assertThat(answer).containsEntry("state", CodeFlow.STATE).containsEntry("iss", "https://localhost:8443")
        .containsKey("code");

    HttpResponse<String> wrongVerifier = spa.exchange(answer.get("code"), new CodeVerifier());
    assertThat(wrongVerifier.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(wrongVerifier.body()).getString("error")).isEqualTo("invalid_grant");

    HttpResponse<String> tokens = spa.exchange(answer.get("code"), verifier);
    assertThat(tokens.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(tokens.body());
    String access = body.getString("access_token");
    assertThat(body.getString("refresh_token")).isNotBlank();
    assertThat(SignedJWT.parse(access).getJWTClaimsSet().getStringClaim("client_id")).isEqualTo("spa");
    assertThat(env.gateway.get("/plain/x", "Authorization", "Bearer " + access).statusCode()).isEqualTo(200);

    HttpResponse<String> replay = spa.exchange(answer.get("code"), verifier);
    assertThat(replay.statusCode()).isEqualTo(400);
    assertThat(env.gateway.get("/plain/x", "Authorization", "Bearer " + access).statusCode())
        .as("a replayed code revokes what it issued").isEqualTo(401);
    String refresh = body.getString("refresh_token");
    assertThat(send("POST", env.gateway.http("/oauth2/token"), "grant_type=refresh_token&client_id=spa&refresh_token="
        + refresh, "application/x-www-form-urlencoded", null).statusCode()).isEqualTo(400);
  }

  /** The id token's claims, once its signature checks out against the published key its header names. */
  static com.nimbusds.jwt.JWTClaimsSet verifiedIdToken(String idToken, JWSAlgorithm expected) throws Exception {
    SignedJWT id = SignedJWT.parse(idToken);
    assertThat(id.getHeader().getAlgorithm()).isEqualTo(expected);
    JWK key = JWKSet.parse(env.gateway.get("/oauth2/jwks").body()).getKeyByKeyId(id.getHeader().getKeyID());
    assertThat(id.verify(expected == JWSAlgorithm.RS256 ? new RSASSAVerifier(key.toRSAKey())
        : new ECDSAVerifier(key.toECKey()))).isTrue();
    return id.getJWTClaimsSet();
  }

  @Test
  void openidGivesAnIdTokenAndUserinfo() throws Exception {
    JsonObject tokens = spa.tokens(session, "&scope=" + enc("openid svc:read") + "&nonce=n-42");
    String access = tokens.getString("access_token");
    assertThat(SignedJWT.parse(access).getHeader().getAlgorithm()).as("tokens.algorithm").isEqualTo(JWSAlgorithm.ES256);
    var claims = verifiedIdToken(tokens.getString("id_token"), JWSAlgorithm.RS256);
    assertThat(claims.getAudience()).containsExactly("spa");
    assertThat(claims.getStringClaim("nonce")).isEqualTo("n-42");
    assertThat(claims.getStringClaim("sid")).isNotBlank().doesNotContain(session);
    assertThat(claims.getLongClaim("auth_time")).isPositive();
    assertThat(claims.getStringClaim("at_hash")).isEqualTo(com.nimbusds.openid.connect.sdk.claims.AccessTokenHash.compute(
        new com.nimbusds.oauth2.sdk.token.BearerAccessToken(access), JWSAlgorithm.RS256, null).getValue());
    assertThat(claims.getClaims()).as("openid alone: no profile or email claims")
        .doesNotContainKeys("preferred_username", "email", "roles");
    assertThat(env.gateway.get("/plain/x", "Authorization", "Bearer " + tokens.getString("id_token")).statusCode())
        .as("an id token is not an access token").isEqualTo(401);

    HttpResponse<String> userinfo = env.gateway.get("/oauth2/userinfo", "Authorization", "Bearer " + access);
    assertThat(userinfo.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(userinfo.body()).getMap()).as("openid alone: sub only")
        .containsOnlyKeys("sub").containsEntry("sub", claims.getSubject());
    assertThat(env.gateway.get("/oauth2/userinfo").statusCode()).isEqualTo(401);

    JsonObject noId = spa.tokens(session, "&scope=svc%3Aread");
    assertThat(noId.containsKey("id_token")).isFalse();
    assertThat(env.gateway.get("/oauth2/userinfo", "Authorization", "Bearer " + noId.getString("access_token"))
        .statusCode()).as("needs openid").isEqualTo(403);
  }

  @Test
  void theStandardScopesGrantedDecideTheUsersClaims() throws Exception {
    String withEmail = "{\"username\":\"bea\",\"password\":\"" + PASSWORD + "\",\"email\":\"bea@example.com\"}";
    assertThat(send("POST", env.gateway.http("/auth/signup"), withEmail, "application/json", null).statusCode())
        .isEqualTo(201);
    String bea = new JsonObject(send("POST", env.gateway.http("/auth/login"), withEmail, "application/json", null)
        .body()).getString("session_token");

    JsonObject all = spa.tokens(bea, "&scope=" + enc("openid profile email") + "&nonce=n-42");
    assertThat(verifiedIdToken(all.getString("id_token"), JWSAlgorithm.RS256).getClaims())
        .containsEntry("preferred_username", "bea").containsEntry("email", "bea@example.com")
        .doesNotContainKeys("email_verified", "roles");
    assertThat(new JsonObject(env.gateway.get("/oauth2/userinfo", "Authorization", "Bearer "
        + all.getString("access_token")).body()).getMap())
        .containsOnlyKeys("sub", "preferred_username", "email").containsEntry("email", "bea@example.com");

    JsonObject profile = spa.tokens(bea, "&scope=" + enc("openid profile") + "&nonce=n-42");
    assertThat(verifiedIdToken(profile.getString("id_token"), JWSAlgorithm.RS256).getClaims())
        .containsEntry("preferred_username", "bea").doesNotContainKey("email");
    assertThat(new JsonObject(env.gateway.get("/oauth2/userinfo", "Authorization", "Bearer "
        + profile.getString("access_token")).body()).getMap()).containsOnlyKeys("sub", "preferred_username");

    JsonObject email = spa.tokens(session, "&scope=" + enc("openid email") + "&nonce=n-42");
    assertThat(verifiedIdToken(email.getString("id_token"), JWSAlgorithm.RS256).getClaims())
        .as("ann has no email: nothing to say").doesNotContainKeys("email", "preferred_username");
    assertThat(new JsonObject(env.gateway.get("/oauth2/userinfo", "Authorization", "Bearer "
        + email.getString("access_token")).body()).getMap()).containsOnlyKeys("sub");
  }

  @Test
  void aClientRegisteredForAnotherAlgorithmGetsItsIdTokensSoSigned() throws Exception {
    JsonObject tokens = CodeFlow.publicClient(env.gateway, "spa-es", CALLBACK)
        .tokens(session, "&scope=openid&nonce=n-42");
    var claims = verifiedIdToken(tokens.getString("id_token"), JWSAlgorithm.ES256);
    assertThat(claims.getAudience()).containsExactly("spa-es");
    assertThat(claims.getStringClaim("at_hash")).isEqualTo(com.nimbusds.openid.connect.sdk.claims.AccessTokenHash.compute(
        new com.nimbusds.oauth2.sdk.token.BearerAccessToken(tokens.getString("access_token")), JWSAlgorithm.ES256, null)
        .getValue());
    assertThat(new JsonObject(send("GET", env.gateway.management("/admin/clients"), null, null, session).body())
        .getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("client_id").equals("spa-es")).findFirst().orElseThrow()
        .getString("id_token_signed_response_alg")).isEqualTo("ES256");
  }

  @Test
  void aClientCannotRegisterAnIdTokenAlgorithmGatehouseDoesNotSignWith() throws Exception {
    for (String alg : new String[] {"\"EdDSA\"", "\"none\"", "\"HS256\"", "\"rs256\"", "\"\"", "256"}) {
      HttpResponse<String> refused = send("POST", env.gateway.management("/admin/clients"), """
          {"client_id":"odd","public":true,"grants":["authorization_code"],"scopes":["openid"],
           "redirect_uris":["%s"],"id_token_signed_response_alg":%s}""".formatted(CALLBACK, alg),
          "application/json", session);
      assertThat(refused.statusCode()).as(alg).isEqualTo(400);
      assertThat(new JsonObject(refused.body()).getJsonArray("invalid-params").getJsonObject(0).getString("name"))
          .as(alg).isEqualTo("id_token_signed_response_alg");
    }
    assertThat(send("GET", env.gateway.management("/admin/clients"), null, null, session).body())
        .as("nothing registered").doesNotContain("\"odd\"");
  }

  @Test
  void discoveryListsRs256TheStandardScopesAndTheAssertionAlgorithmsOfEveryEndpoint() throws Exception {
    JsonObject discovery = new JsonObject(env.gateway.get("/.well-known/openid-configuration").body());
    assertThat(discovery.getString("issuer")).isEqualTo("https://localhost:8443");
    assertThat(discovery.getString("userinfo_endpoint")).isEqualTo("https://localhost:8443/oauth2/userinfo");
    assertThat(discovery.getJsonArray("id_token_signing_alg_values_supported").getList())
        .containsExactly("RS256", "ES256");
    assertThat(discovery.getJsonArray("code_challenge_methods_supported").getList()).containsExactly("S256");
    assertThat(discovery.getJsonArray("response_types_supported").getList()).containsExactly("code");
    for (String endpoint : new String[] {"token", "introspection", "revocation"}) {
      assertThat(discovery.getJsonArray(endpoint + "_endpoint_auth_methods_supported").getList()).as(endpoint)
          .contains("private_key_jwt");
      assertThat(discovery.getJsonArray(endpoint + "_endpoint_auth_signing_alg_values_supported").getList())
          .as(endpoint).containsExactly("ES256", "RS256", "PS256");
    }
    assertThat(discovery.getBoolean("request_uri_parameter_supported")).isFalse();
    assertThat(discovery.getBoolean("request_parameter_supported", false)).isFalse();
    assertThat(discovery.getJsonArray("scopes_supported").getList()).contains("openid", "profile", "email");
    assertThat(discovery.getJsonArray("claims_supported").getList()).contains("sub", "preferred_username", "email")
        .doesNotContain("roles", "name", "email_verified");
    assertThat(new JsonObject(env.gateway.get("/.well-known/oauth-authorization-server").body()))
        .as("one document").isEqualTo(discovery);
    JWKSet jwks = JWKSet.parse(env.gateway.get("/oauth2/jwks").body());
    assertThat(jwks.getKeys()).extracting(k -> k.getAlgorithm().getName())
        .as("a current and a next key of each").containsExactlyInAnyOrder("ES256", "ES256", "RS256", "RS256");
  }

  @Test
  void rpInitiatedLogoutEndsTheSessionNamedByTheIdToken() throws Exception {
    String own = new JsonObject(send("POST", env.gateway.http("/auth/login"),
        "{\"username\":\"ann\",\"password\":\"" + PASSWORD + "\"}", "application/json", null).body())
        .getString("session_token");
    JsonObject tokens = spa.tokens(own, "&scope=openid");
    String idToken = tokens.getString("id_token");

    assertThat(send("GET", env.gateway.http("/oauth2/logout?id_token_hint=" + tokens.getString("access_token")), null,
        null, null).statusCode()).as("an access token is no hint").isEqualTo(400);
    assertThat(send("GET", env.gateway.http("/oauth2/logout"), null, null, null).statusCode()).isEqualTo(400);
    assertThat(send("GET", env.gateway.http("/auth/session"), null, null, own).statusCode()).isEqualTo(200);

    HttpResponse<String> out = send("GET", env.gateway.http("/oauth2/logout?id_token_hint=" + idToken
        + "&post_logout_redirect_uri=" + enc(CALLBACK) + "&state=bye"), null, null, null);
    assertThat(out.statusCode()).isEqualTo(302);
    assertThat(out.headers().firstValue("Location")).hasValue(CALLBACK + "?state=bye");
    assertThat(send("GET", env.gateway.http("/auth/session"), null, null, own).statusCode()).isEqualTo(401);
    assertThat(send("GET", env.gateway.http("/auth/session"), null, null, session).statusCode())
        .as("only that session").isEqualTo(200);
    HttpResponse<String> elsewhere = send("GET", env.gateway.http("/oauth2/logout?id_token_hint=" + idToken
        + "&post_logout_redirect_uri=" + enc("https://evil.example/")), null, null, null);
    assertThat(elsewhere.headers().firstValue("Location")).hasValue("/auth/login");
  }

  @Test
  void aBadClientOrRedirectUriIsAnErrorHereNeverARedirect() throws Exception {
    CodeVerifier verifier = new CodeVerifier();
    for (String query : new String[] {
        CodeFlow.publicClient(env.gateway, "spa", "https://evil.example/cb").query(verifier, ""),
        CodeFlow.publicClient(env.gateway, "spa", CALLBACK + "/extra").query(verifier, ""),
        CodeFlow.publicClient(env.gateway, "nobody", CALLBACK).query(verifier, ""),
        "response_type=code&client_id=spa"}) {
      HttpResponse<String> response = spa.authorize(query, session);
      assertThat(response.statusCode()).as(query).isEqualTo(400);
      assertThat(response.headers().firstValue("Location")).as(query).isEmpty();
    }
  }

  @Test
  void aThirdPartyClientNeedsConsentWhichIsRemembered() throws Exception {
    String query = partner.query("");
    HttpResponse<String> page = partner.authorize(query, session);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("form-action 'self' https://partner.example").contains("frame-ancestors 'none'");
    assertThat(page.body()).contains("partner").contains("ann");
    String csrf = Sessions.csrfToken(session);

    assertThat(partner.consent(query, "allow", "forged", session).statusCode()).isEqualTo(403);
    HttpResponse<String> denied = partner.consent(query, "deny", csrf, session);
    assertThat(params(denied.headers().firstValue("Location").orElseThrow())).containsEntry("error", "access_denied")
        .containsEntry("state", CodeFlow.STATE);
    assertThat(partner.authorize(query, session).statusCode()).as("a denial is not remembered").isEqualTo(200);

    HttpResponse<String> allowed = partner.consent(query, "allow", csrf, session);
    assertThat(allowed.statusCode()).isEqualTo(302);
    assertThat(params(allowed.headers().firstValue("Location").orElseThrow())).containsKey("code");
    HttpResponse<String> again = partner.authorize(query, session);
    assertThat(again.statusCode()).as("consent remembered").isEqualTo(302);
    assertThat(params(again.headers().firstValue("Location").orElseThrow())).containsKey("code");

    HttpResponse<String> tampered = partner.consent(query.replace("partner.example", "evil.example"), "allow", csrf,
        session);
    assertThat(tampered.statusCode()).as("the form is checked like the request").isEqualTo(400);

    HttpResponse<String> mine = send("GET", env.gateway.http("/auth/consents"), null, null, session);
    assertThat(new JsonObject(mine.body()).getJsonObject("clients").getJsonArray("partner")).isEmpty();
    assertThat(send("DELETE", env.gateway.http("/auth/consents/partner"), null, null, session).statusCode()).isEqualTo(204);
    assertThat(partner.authorize(query, session).statusCode()).as("withdrawn: asked again").isEqualTo(200);
    assertThat(send("DELETE", env.gateway.http("/auth/consents/partner"), null, null, session).statusCode()).isEqualTo(404);
  }

  @Test
  void anAuthorizationRequestMayBePostedFromAnotherSiteButAConsentAnswerMayNot() throws Exception {
    CodeVerifier verifier = new CodeVerifier();
    HttpResponse<String> posted = env.gateway.send(HttpRequest.newBuilder(env.gateway.http("/oauth2/authorize"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "https://rp.example")
        .header("Cookie", "gh_session=" + session)
        .POST(HttpRequest.BodyPublishers.ofString(spa.query(verifier, ""))).build());
    assertThat(posted.statusCode()).isEqualTo(302);
    assertThat(params(posted.headers().firstValue("Location").orElseThrow())).containsKey("code");

    String query = partner.query("");
    HttpResponse<String> forgedConsent = env.gateway.send(HttpRequest.newBuilder(env.gateway.http("/oauth2/consent"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "https://evil.example")
        .header("Cookie", "gh_session=" + session)
        .POST(HttpRequest.BodyPublishers.ofString(query + "&decision=allow&csrf_token="
            + Sessions.csrfToken(session))).build());
    assertThat(forgedConsent.statusCode()).as("the guard's CSRF check").isEqualTo(403);
  }

  @Test
  void laterErrorsGoBackToTheClientWithItsState() throws Exception {
    Map<String, String> cases = Map.of(
        spa.query(null, ""), "invalid_request",
        spa.query("&scope=admin"), "invalid_scope",
        spa.query("").replace("response_type=code", "response_type=token"),
        "unsupported_response_type");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> response = spa.authorize(c.getKey(), session);
      assertThat(response.statusCode()).as(c.getKey()).isEqualTo(302);
      Map<String, String> answer = params(response.headers().firstValue("Location").orElseThrow());
      assertThat(answer).as(c.getKey()).containsEntry("error", c.getValue()).containsEntry("state", CodeFlow.STATE)
          .doesNotContainKey("code");
    }
  }
}
