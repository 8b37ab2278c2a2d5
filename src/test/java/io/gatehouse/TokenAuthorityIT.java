package io.gatehouse;

import static io.gatehouse.support.CodeFlow.location;
import static io.gatehouse.support.CodeFlow.params;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.support.CodeFlow;
import io.gatehouse.support.GatewayExtension;
import io.gatehouse.support.LogCapture;
import io.gatehouse.support.SkewedClock;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 17 over HTTP, on one instance: a token carries only the authority its holder was granted
 * (scopes, roles for first-party clients only, its audience), the admin API reads the account at
 * the moment of the call, credentials end with the account's and the session's changes, and the
 * OAuth endpoints refuse what RFC 6749, 7009, 7662 and OpenID Connect say they must.
 */
class TokenAuthorityIT {

  static final String PASSWORD = "correct horse battery staple";
  static final String CALLBACK = "http://127.0.0.1:9999/cb";

  /** Moved on past {@code max_age=1} instead of waiting a second. */
  static final SkewedClock CLOCK = new SkewedClock();
  @RegisterExtension
  static final GatewayExtension ENV = GatewayExtension.of("""
        signup: { default_roles: [admin] }
        routes:
          - { id: plain, path: /plain/**, upstream: "${UP}", auth: [jwt] }
          - { id: api, path: /api/**, upstream: "${UP}", auth: [jwt], audience: "https://api.example" }
          - { id: admins, path: /admins/**, upstream: "${UP}", auth: [jwt], roles: [admin] }
          - { id: open, path: /open/**, upstream: "${UP}", auth: [none] }
          - { id: sessions, path: /own/**, upstream: "${UP}", auth: [session] }
          - { id: forwarded, path: /fwd/**, upstream: "${UP}", auth: [none], forward_credentials: true }
        """, CLOCK);
  static LogCapture audit;
  static String root;
  static String svcSecret;
  static String writerSecret;
  static CodeFlow partner;
  static CodeFlow console;
  static CodeFlow writer;

  @BeforeAll
  static void start() throws Exception {
    audit = new LogCapture("gatehouse.audit");
    assertThat(post("/auth/signup", "{\"username\":\"root\",\"password\":\"" + PASSWORD + "\"}", null).statusCode())
        .isEqualTo(201);
    root = login("root").getString("session_token");
    admin("POST", "/admin/clients", """
        {"client_id":"partner","public":true,"grants":["authorization_code","refresh_token"],
         "scopes":["openid","svc:read","svc:write"],"redirect_uris":["%s"]}""".formatted(CALLBACK), 201);
    admin("POST", "/admin/clients", """
        {"client_id":"console","public":true,"first_party":true,"grants":["authorization_code","refresh_token"],
         "scopes":["openid","svc:read"],"redirect_uris":["%s"]}""".formatted(CALLBACK), 201);
    svcSecret = new JsonObject(admin("POST", "/admin/clients",
        "{\"client_id\":\"svc\",\"scopes\":[\"svc:read\"],\"audiences\":[\"https://api.example\"]}", 201).body())
        .getString("client_secret");
    writerSecret = new JsonObject(admin("POST", "/admin/clients", """
        {"client_id":"writer","grants":["authorization_code","refresh_token"],"scopes":["openid"],
         "redirect_uris":["%s"]}""".formatted(CALLBACK), 201).body()).getString("client_secret");
    partner = CodeFlow.publicClient(ENV.gateway(), "partner", CALLBACK);
    console = CodeFlow.publicClient(ENV.gateway(), "console", CALLBACK);
    writer = CodeFlow.confidentialClient(ENV.gateway(), "writer", writerSecret, CALLBACK);
  }

  @AfterAll
  static void stop() {
    if (audit != null) {
      audit.close();
    }
  }

  // --- 1. Delegation: a third party gets the scopes granted, never the user's roles ---

  @Test
  void aThirdPartyTokenOfAnAdministratorCarriesNoRolesAndCannotUseTheAdminApi() throws Exception {
    String user = signedIn("delegator", "admin");
    JsonObject tokens = partner.tokensAllowing(user, "&scope=openid");
    JWTClaimsSet claims = claims(tokens.getString("access_token"));
    assertThat(claims.getClaim("roles")).as("no roles for a third party").isNull();
    assertThat(claims.getStringClaim("scope")).isEqualTo("openid");
    assertThat(claims.getAudience()).containsExactly("https://localhost:8443");
    String bearer = "Bearer " + tokens.getString("access_token");

    assertThat(send("POST", ENV.gateway().management("/admin/users"),
        "{\"username\":\"mallory\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"admin\"]}", "application/json", bearer)
        .statusCode()).isEqualTo(403);
    assertThat(send("GET", ENV.gateway().management("/admin/users"), null, null, bearer).statusCode()).isEqualTo(403);
    assertThat(ENV.gateway().get("/admins/x", "Authorization", bearer).statusCode()).isEqualTo(403);
    assertThat(ENV.gateway().get("/plain/x", "Authorization", bearer).statusCode()).isEqualTo(200);

    // The same administrator through a first-party client: roles, and the admin API.
    JsonObject own = console.tokens(user, "&scope=openid");
    assertThat(claims(own.getString("access_token")).getStringListClaim("roles")).containsExactly("admin");
    assertThat(send("GET", ENV.gateway().management("/admin/users"), null, null,
        "Bearer " + own.getString("access_token")).statusCode()).isEqualTo(200);
  }

  @Test
  void theStandardScopesComeWithOpenidAndARequestUriIsRefused() throws Exception {
    String user = signedIn("standard", "user");
    JsonObject tokens = partner.tokensAllowing(user, "&scope=" + enc("openid profile email"));
    assertThat(claims(tokens.getString("access_token")).getStringClaim("scope")).isEqualTo("openid profile email");

    HttpResponse<String> byReference = partner.authorize(partner.query("&request_uri=urn%3Ax%3Ay"), user);
    assertThat(params(location(byReference))).containsEntry("error", "request_uri_not_supported");
    HttpResponse<String> tooMuch = partner.authorize(partner.query("&scope=openid%20admin"), user);
    assertThat(params(location(tooMuch))).containsEntry("error", "invalid_scope");
  }

  // --- 2. Own tokens on routes: the audience is checked ---

  @Test
  void anOwnTokenIsAdmittedOnlyWhereItsAudienceIs() throws Exception {
    String forApi = clientToken("&resource=" + enc("https://api.example"));
    assertThat(claims(forApi).getAudience()).containsExactly("https://api.example");
    assertThat(ENV.gateway().get("/api/x", "Authorization", "Bearer " + forApi).statusCode()).isEqualTo(200);
    HttpResponse<String> elsewhere = ENV.gateway().get("/plain/x", "Authorization", "Bearer " + forApi);
    assertThat(elsewhere.statusCode()).as("not for the default audience").isEqualTo(401);
    assertThat(elsewhere.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");

    newUser("audience", "user");
    String access = login("audience").getString("access_token");
    assertThat(claims(access).getAudience()).containsExactly("https://localhost:8443");
    assertThat(ENV.gateway().get("/plain/x", "Authorization", "Bearer " + access).statusCode()).isEqualTo(200);
    assertThat(ENV.gateway().get("/api/x", "Authorization", "Bearer " + access).statusCode()).isEqualTo(401);
  }

  // --- 3. The admin API reads the account at the moment of the call; every change audited ---

  @Test
  void anAdministratorsTokenStopsOpeningTheAdminApiWhenTheAccountChanges() throws Exception {
    String id = newUser("deputy", "admin");
    String access = login("deputy").getString("access_token");
    assertThat(send("GET", ENV.gateway().management("/admin/users"), null, null, "Bearer " + access).statusCode())
        .isEqualTo(200);
    admin("PATCH", "/admin/users/" + id, "{\"disabled\":true}", 200);
    assertThat(send("GET", ENV.gateway().management("/admin/users"), null, null, "Bearer " + access).statusCode())
        .as("disabled: refused at once").isIn(401, 403);

    HttpResponse<String> key = admin("POST", "/admin/apikeys", "{\"service\":\"ops\",\"roles\":[\"admin\"]}", 201);
    String keyId = new JsonObject(key.body()).getString("id");
    assertThat(String.join("\n", audit.raw())).contains("admin.apikey.create").contains("key=" + keyId)
        .doesNotContain(new JsonObject(key.body()).getString("key"));
    assertThat(send("GET", ENV.gateway().management("/admin/users"), null, null,
        "ApiKey " + new JsonObject(key.body()).getString("key")).statusCode()).as("API keys do not open it").isEqualTo(401);
  }

  // --- 4. Credentials follow the account and the session ---

  @Test
  void aPasswordChangeEndsTheOtherSessionsAndEveryTokenIssuedBefore() throws Exception {
    newUser("changer", "user");
    JsonObject first = login("changer");
    JsonObject second = login("changer");
    String access = first.getString("access_token");
    assertThat(ENV.gateway().get("/plain/x", "Authorization", "Bearer " + access).statusCode()).isEqualTo(200);

    HttpResponse<String> changed = send("POST", ENV.gateway().http("/auth/password"),
        "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"another good passphrase\"}", "application/json",
        "Bearer " + first.getString("session_token"));
    assertThat(changed.statusCode()).isEqualTo(204);
    assertThat(ENV.gateway().get("/plain/x", "Authorization", "Bearer " + access).statusCode()).isEqualTo(401);
    assertThat(ENV.gateway().get("/plain/x", "Authorization", "Bearer " + second.getString("access_token")).statusCode())
        .isEqualTo(401);
    assertThat(refresh(first.getString("refresh_token")).statusCode()).isEqualTo(400);
    assertThat(refresh(second.getString("refresh_token")).statusCode()).isEqualTo(400);
    assertThat(ENV.gateway().get("/own/x", "Authorization", "Bearer " + second.getString("session_token")).statusCode())
        .isEqualTo(401);
    assertThat(ENV.gateway().get("/own/x", "Authorization", "Bearer " + first.getString("session_token")).statusCode())
        .as("the session that changed it goes on").isEqualTo(200);

    // Signed in again right away (within the same second): the new tokens work.
    JsonObject again = login("changer", "another good passphrase");
    assertThat(ENV.gateway().get("/plain/x", "Authorization", "Bearer " + again.getString("access_token")).statusCode())
        .isEqualTo(200);
    assertThat(refresh(again.getString("refresh_token")).statusCode()).isEqualTo(200);
  }

  @Test
  void logoutEndsTheTokensIssuedWithItsSessionOnly() throws Exception {
    newUser("leaver", "user");
    JsonObject gone = login("leaver");
    JsonObject stays = login("leaver");
    assertThat(send("POST", ENV.gateway().http("/auth/logout"), null, null, "Bearer " + gone.getString("session_token"))
        .statusCode()).isEqualTo(204);
    assertThat(ENV.gateway().get("/plain/x", "Authorization", "Bearer " + gone.getString("access_token")).statusCode())
        .isEqualTo(401);
    assertThat(refresh(gone.getString("refresh_token")).statusCode()).isEqualTo(400);
    assertThat(ENV.gateway().get("/plain/x", "Authorization", "Bearer " + stays.getString("access_token")).statusCode())
        .isEqualTo(200);
    HttpResponse<String> rotated = refresh(stays.getString("refresh_token"));
    assertThat(rotated.statusCode()).isEqualTo(200);

    // Everywhere: every session and every token.
    assertThat(send("POST", ENV.gateway().http("/auth/logout?everywhere=true"), null, null,
        "Bearer " + stays.getString("session_token")).statusCode()).isEqualTo(204);
    assertThat(ENV.gateway().get("/own/x", "Authorization", "Bearer " + stays.getString("session_token")).statusCode())
        .isEqualTo(401);
    assertThat(ENV.gateway().get("/plain/x", "Authorization",
        "Bearer " + new JsonObject(rotated.body()).getString("access_token")).statusCode()).isEqualTo(401);
    assertThat(refresh(new JsonObject(rotated.body()).getString("refresh_token")).statusCode()).isEqualTo(400);
  }

  @Test
  void aChangeOfRolesOrADisableByAnAdministratorEndsEverything() throws Exception {
    String id = newUser("demoted", "admin");
    JsonObject tokens = login("demoted");
    assertThat(ENV.gateway().get("/admins/x", "Authorization", "Bearer " + tokens.getString("access_token")).statusCode())
        .isEqualTo(200);
    admin("PATCH", "/admin/users/" + id, "{\"roles\":[\"user\"]}", 200);
    assertThat(ENV.gateway().get("/admins/x", "Authorization", "Bearer " + tokens.getString("access_token")).statusCode())
        .as("its roles claim is stale: the token is refused").isEqualTo(401);
    assertThat(refresh(tokens.getString("refresh_token")).statusCode()).isEqualTo(400);
    assertThat(ENV.gateway().get("/own/x", "Authorization", "Bearer " + tokens.getString("session_token")).statusCode())
        .isEqualTo(401);

    JsonObject fresh = login("demoted");
    assertThat(claims(fresh.getString("access_token")).getStringListClaim("roles")).containsExactly("user");
    admin("PATCH", "/admin/users/" + id, "{\"password\":\"an admin chose this one\"}", 200);
    assertThat(ENV.gateway().get("/plain/x", "Authorization", "Bearer " + fresh.getString("access_token")).statusCode())
        .isEqualTo(401);
    assertThat(login("demoted", "an admin chose this one").getString("access_token")).isNotBlank();
  }

  // --- 6. Revocation and introspection ---

  @Test
  void theBuiltInClientRevokesItsAccessTokenAndAnUnauthenticatedRevocationIsRefused() throws Exception {
    newUser("revoker", "user");
    JsonObject tokens = login("revoker");
    String access = tokens.getString("access_token");
    HttpResponse<String> revoked = form("/oauth2/revoke", "token=" + access + "&client_id=gatehouse", null);
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(ENV.gateway().get("/plain/x", "Authorization", "Bearer " + access).statusCode()).isEqualTo(401);

    HttpResponse<String> anonymous = form("/oauth2/revoke", "token=" + tokens.getString("refresh_token"), null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(anonymous.body()).getString("error")).isEqualTo("invalid_client");
    assertThat(refresh(tokens.getString("refresh_token")).statusCode()).as("nothing changed").isEqualTo(200);
  }

  @Test
  void introspectionAnswersARefreshTokenToItsOwnClientOnly() throws Exception {
    String user = signedIn("inspected", "user");
    JsonObject tokens = partner.tokensAllowing(user, "&scope=" + enc("openid svc:read"));
    String refresh = tokens.getString("refresh_token");
    // A confidential client that asks about a token that is not its own learns nothing.
    HttpResponse<String> other = form("/oauth2/introspect", "token=" + refresh, basic("svc", svcSecret));
    assertThat(new JsonObject(other.body()).getBoolean("active")).isFalse();

    JsonObject own = writer.tokensAllowing(user, "&scope=openid");
    HttpResponse<String> mine = form("/oauth2/introspect", "token=" + own.getString("refresh_token"),
        basic("writer", writerSecret));
    JsonObject answer = new JsonObject(mine.body());
    assertThat(answer.getBoolean("active")).isTrue();
    assertThat(answer.getString("client_id")).isEqualTo("writer");
    assertThat(answer.getString("sub")).isEqualTo(claims(own.getString("access_token")).getSubject());
    assertThat(answer.getString("scope")).isEqualTo("openid");
    assertThat(answer.getLong("exp")).isPositive();
  }

  // --- 7. Upstreams never receive a Gatehouse credential ---

  @Test
  void anOwnJwtNeverReachesAnUpstreamUnlessTheRouteForwardsCredentials() throws Exception {
    newUser("carrier", "user");
    String access = login("carrier").getString("access_token");
    JsonObject seen = new JsonObject(ENV.gateway().get("/open/x", "Authorization", "Bearer " + access).body())
        .getJsonObject("headers");
    assertThat(seen.getString("authorization")).isNull();
    JsonObject kept = new JsonObject(ENV.gateway().get("/fwd/x", "Authorization", "Bearer " + access).body())
        .getJsonObject("headers");
    assertThat(kept.getString("authorization")).isEqualTo("Bearer " + access);
    String foreign = "eyJhbGciOiJub25lIn0." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString("{\"iss\":\"https://idp.example\"}".getBytes(StandardCharsets.UTF_8)) + ".";
    JsonObject theirs = new JsonObject(ENV.gateway().get("/open/x", "Authorization", "Bearer " + foreign).body())
        .getJsonObject("headers");
    assertThat(theirs.getString("authorization")).as("another issuer's token is the upstream's").isEqualTo("Bearer " + foreign);
  }

  // --- 8. Guessing the current password is throttled like a login ---

  @Test
  void wrongCurrentPasswordsAreThrottledLikeLogins() throws Exception {
    newUser("guessed", "user");
    String session = login("guessed").getString("session_token");
    int refused = 0;
    int tooMany = 0;
    for (int i = 0; i < 8; i++) {
      int status = send("POST", ENV.gateway().http("/auth/password"),
          "{\"current_password\":\"wrong guess " + i + "\",\"new_password\":\"another good passphrase\"}",
          "application/json", "Bearer " + session).statusCode();
      refused += status == 400 ? 1 : 0;
      tooMany += status == 429 ? 1 : 0;
    }
    assertThat(refused).as("the five free failures, and the one that starts the delay").isEqualTo(6);
    assertThat(tooMany).isEqualTo(2);
    HttpResponse<String> right = send("POST", ENV.gateway().http("/auth/password"),
        "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"another good passphrase\"}", "application/json",
        "Bearer " + session);
    assertThat(right.statusCode()).as("held back, right or wrong").isEqualTo(429);
    assertThat(right.headers().firstValue("Retry-After")).isPresent();
  }

  // --- 9. The authorization endpoint checks the client before anything else ---

  @Test
  void anUnknownClientOrRedirectIsAnErrorPageWithOrWithoutASession() throws Exception {
    CodeFlow nobody = CodeFlow.publicClient(ENV.gateway(), "nobody", CALLBACK);
    for (String bearer : new String[] {null, root}) {
      HttpResponse<String> unknown = nobody.authorize(nobody.query(""), bearer);
      assertThat(unknown.statusCode()).isEqualTo(400);
      assertThat(unknown.headers().firstValue("Location")).isEmpty();
      HttpResponse<String> elsewhere = partner.authorize(
          partner.query("").replace(enc(CALLBACK), enc("https://evil.example/cb")), bearer);
      assertThat(elsewhere.statusCode()).isEqualTo(400);
      assertThat(elsewhere.headers().firstValue("Location")).isEmpty();
      HttpResponse<String> twice = partner.authorize(partner.query("&state=again"), bearer);
      assertThat(twice.statusCode()).isEqualTo(400);
      assertThat(twice.headers().firstValue("Location")).isEmpty();
    }
  }

  @Test
  void promptAndMaxAgeAreHonoured() throws Exception {
    HttpResponse<String> silent = partner.authorize(partner.query("&prompt=none"), null);
    assertThat(silent.statusCode()).isEqualTo(302);
    assertThat(params(location(silent))).containsEntry("error", "login_required")
        .containsEntry("state", CodeFlow.STATE);

    String user = signedIn("prompted", "user");
    HttpResponse<String> noConsent = partner.authorize(partner.query("&prompt=none&scope=openid"), user);
    assertThat(params(location(noConsent))).containsEntry("error", "consent_required");

    HttpResponse<String> fresh = console.authorize(console.query("&prompt=login&scope=openid"), user);
    assertThat(fresh.statusCode()).isEqualTo(303);
    String back = URLDecoder.decode(location(fresh).substring("/auth/login?return_to=".length()), StandardCharsets.UTF_8);
    assertThat(back).startsWith("/oauth2/authorize?").doesNotContain("prompt");

    CLOCK.advance(Duration.ofMillis(1100));
    HttpResponse<String> tooOld = console.authorize(console.query("&max_age=1&scope=openid"), user);
    assertThat(tooOld.statusCode()).as("signed in more than a second ago").isEqualTo(303);
    assertThat(console.authorize(console.query("&max_age=3600&scope=openid"), user).statusCode()).isEqualTo(302);
    long before = CLOCK.instant().getEpochSecond();
    String again = login("prompted").getString("session_token");
    JsonObject signedInAgain = console.tokens(again, "&scope=openid");
    assertThat(claims(signedInAgain.getString("id_token")).getLongClaim("auth_time")).as("the fresh sign-in's")
        .isGreaterThanOrEqualTo(before);

    partner.tokensAllowing(user, "&scope=openid");
    assertThat(partner.authorize(partner.query("&scope=openid"), user).statusCode()).as("consent remembered")
        .isEqualTo(302);
    assertThat(partner.authorize(partner.query("&prompt=consent&scope=openid"), user).statusCode()).as("asked again")
        .isEqualTo(200);
    assertThat(params(location(partner.authorize(partner.query("&prompt=none%20login"), user))))
        .containsEntry("error", "invalid_request");
    for (String hostile : new String[] {"&prompt=bogus", "&max_age=abc", "&max_age=-1", "&max_age=99999999999999"}) {
      assertThat(params(location(partner.authorize(partner.query(hostile), user)))).as(hostile)
          .containsEntry("error", "invalid_request");
    }
  }

  // --- 10. The token endpoint's errors ---

  @Test
  void theTokenEndpointAnswersTheRfc6749Errors() throws Exception {
    for (String grant : new String[] {"password", "urn:ietf:params:oauth:grant-type:device_code",
        "urn:ietf:params:oauth:grant-type:jwt-bearer", "implicit", "bogus"}) {
      HttpResponse<String> answer = form("/oauth2/token", "grant_type=" + enc(grant) + "&username=a&password=b",
          basic("svc", svcSecret));
      assertThat(answer.statusCode()).as(grant).isEqualTo(400);
      assertThat(new JsonObject(answer.body()).getString("error")).as(grant).isEqualTo("unsupported_grant_type");
    }
    HttpResponse<String> both = form("/oauth2/token", "grant_type=client_credentials&client_id=svc&client_secret="
        + enc(svcSecret), basic("svc", svcSecret));
    assertThat(both.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(both.body()).getString("error")).isEqualTo("invalid_request");

    String user = signedIn("narrowed", "user");
    JsonObject tokens = partner.tokensAllowing(user, "&scope=" + enc("openid svc:read"));
    HttpResponse<String> wider = form("/oauth2/token", "grant_type=refresh_token&client_id=partner&scope="
        + enc("openid svc:read svc:write") + "&refresh_token=" + tokens.getString("refresh_token"), null);
    assertThat(wider.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(wider.body()).getString("error")).isEqualTo("invalid_scope");
    HttpResponse<String> narrower = form("/oauth2/token", "grant_type=refresh_token&client_id=partner&scope=openid"
        + "&refresh_token=" + tokens.getString("refresh_token"), null);
    assertThat(narrower.statusCode()).as("the refused refresh changed nothing").isEqualTo(200);
    assertThat(new JsonObject(narrower.body()).getString("scope")).isEqualTo("openid");
    HttpResponse<String> full = form("/oauth2/token", "grant_type=refresh_token&client_id=partner"
        + "&refresh_token=" + new JsonObject(narrower.body()).getString("refresh_token"), null);
    assertThat(new JsonObject(full.body()).getString("scope")).as("the grant itself keeps its scopes")
        .isEqualTo("openid svc:read");
  }

  // --- helpers ---

  /** A user created by the admin API with one role; answers its id. */
  static String newUser(String name, String role) throws Exception {
    return new JsonObject(admin("POST", "/admin/users", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD
        + "\",\"roles\":[\"" + role + "\"]}", 201).body()).getString("id");
  }

  /** A user as {@link #newUser}, and a session of it; answers the session token. */
  static String signedIn(String name, String role) throws Exception {
    newUser(name, role);
    return login(name).getString("session_token");
  }

  static JsonObject login(String name) throws Exception {
    return login(name, PASSWORD);
  }

  static JsonObject login(String name, String password) throws Exception {
    HttpResponse<String> login = post("/auth/login", "{\"username\":\"" + name + "\",\"password\":\"" + password + "\"}",
        null);
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    return new JsonObject(login.body());
  }

  static HttpResponse<String> admin(String method, String path, String body, int expected) throws Exception {
    HttpResponse<String> response = send(method, ENV.gateway().management(path), body, body == null ? null : "application/json",
        "Bearer " + root);
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
    return response;
  }

  static HttpResponse<String> post(String path, String json, String bearer) throws Exception {
    return send("POST", ENV.gateway().http(path), json, "application/json", bearer == null ? null : "Bearer " + bearer);
  }

  static HttpResponse<String> form(String path, String form, String authorization) throws Exception {
    return send("POST", ENV.gateway().http(path), form, "application/x-www-form-urlencoded", authorization);
  }

  static HttpResponse<String> send(String method, URI uri, String body, String type, String authorization)
      throws Exception {
    return authorization == null ? ENV.gateway().send(method, uri, body, type, null)
        : ENV.gateway().send(method, uri, body, type, null, "Authorization", authorization);
  }


  static HttpResponse<String> refresh(String refreshToken) throws Exception {
    return form("/oauth2/token", "grant_type=refresh_token&client_id=gatehouse&refresh_token=" + refreshToken, null);
  }

  static String clientToken(String extra) throws Exception {
    HttpResponse<String> response = form("/oauth2/token", "grant_type=client_credentials" + extra,
        basic("svc", svcSecret));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getString("access_token");
  }

  static String basic(String id, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
  }

  static JWTClaimsSet claims(String token) throws Exception {
    return SignedJWT.parse(token).getJWTClaimsSet();
  }

  static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
