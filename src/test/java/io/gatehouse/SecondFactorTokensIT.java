package io.gatehouse;

import static io.gatehouse.support.CodeFlow.params;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.gatehouse.identity.TotpVerifier;
import io.gatehouse.support.CodeFlow;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.MutableClock;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23 over the OAuth server, on a clock the test moves: how the user signed in ({@code amr},
 * {@code acr}, {@code auth_time}) travels from the session into the code flow's tokens, the JSON
 * login's first-party tokens, and the tokens every refresh issues after them (OpenID Connect Core
 * §12.2: the original authentication's, however much later the refresh), so that a JWT route with
 * {@code auth_level: mfa} admits a refreshed token of a two-factor sign-in and refuses one of a
 * password sign-in; and {@code acr_values=mfa} at {@code /oauth2/authorize} stepping a password
 * session up before the code (OpenID Connect Core §3.1.2.1, {@code prompt=none}:
 * {@code interaction_required}).
 */
class SecondFactorTokensIT {

  private static final String PASSWORD = "correct horse battery";
  private static final String CALLBACK = "http://127.0.0.1:9999/cb";
  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));
  private static final TotpVerifier TOTP = new TotpVerifier();

  @TempDir
  static Path data;
  private static GatehouseFixture gw;
  /** An administrator's session, for registering the client. */
  private static String admin;
  private static CodeFlow spa;

  @BeforeAll
  static void start() throws Exception {
    gw = GatehouseFixture.start(data, """
        signup: { rate_limit: [], default_roles: [admin] }
        routes:
          - { id: strong, path: /api/strong, respond: { body: strong }, auth: [jwt], auth_level: mfa }
          - { id: any, path: /api/any, respond: { body: any }, auth: [jwt] }
        """, Map.of(), CLOCK);
    spa = CodeFlow.publicClient(gw, "spa", CALLBACK);
    signUp("root");
    admin = new JsonObject(login("root").body()).getString("session_token");
    HttpResponse<String> registered = send("POST", gw.management("/admin/clients"), """
        {"client_id":"spa","public":true,"first_party":true,"grants":["authorization_code","refresh_token"],
         "scopes":["openid","profile"],"redirect_uris":["%s"]}""".formatted(CALLBACK), "application/json", admin);
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void aRefreshOfATwoFactorCodeFlowKeepsTheOriginalSignIn() throws Exception {
    String session = enrolled("alice");
    Instant signedIn = CLOCK.instant();
    CLOCK.advance(Duration.ofMinutes(1));
    JsonObject first = spa.tokens(session, "&scope=" + enc("openid profile") + "&nonce=n-1");
    JWTClaimsSet access = claims(first.getString("access_token"));
    assertThat(access.getStringListClaim("amr")).containsExactly("pwd", "otp");
    assertThat(access.getStringClaim("acr")).isEqualTo("mfa");
    assertThat(access.getLongClaim("auth_time")).isEqualTo(signedIn.getEpochSecond());

    CLOCK.advance(Duration.ofHours(2)); // the first access token is long expired; the sign-in is older still
    JsonObject refreshed = refresh("spa", first.getString("refresh_token"));
    JWTClaimsSet newAccess = claims(refreshed.getString("access_token"));
    assertThat(newAccess.getIssueTime().toInstant()).isEqualTo(CLOCK.instant());
    assertThat(newAccess.getStringListClaim("amr")).containsExactly("pwd", "otp");
    assertThat(newAccess.getStringClaim("acr")).isEqualTo("mfa");
    assertThat(newAccess.getLongClaim("auth_time")).as("the original authentication's")
        .isEqualTo(signedIn.getEpochSecond());

    assertThat(refreshed.getString("id_token")).as("a refresh of an openid grant answers an id token").isNotNull();
    JWTClaimsSet id = claims(refreshed.getString("id_token"));
    assertThat(id.getSubject()).isEqualTo(claims(first.getString("id_token")).getSubject());
    assertThat(id.getAudience()).containsExactly("spa");
    assertThat(id.getIssueTime().toInstant()).isEqualTo(CLOCK.instant());
    assertThat(id.getStringListClaim("amr")).containsExactly("pwd", "otp");
    assertThat(id.getStringClaim("acr")).isEqualTo("mfa");
    assertThat(id.getLongClaim("auth_time")).isEqualTo(signedIn.getEpochSecond());
    assertThat(id.getClaims()).as("§12.2: no nonce on a refresh").doesNotContainKey("nonce");

    assertThat(bearerGet("/api/strong", refreshed.getString("access_token")).statusCode()).isEqualTo(200);

    JsonObject again = refresh("spa", refreshed.getString("refresh_token"));
    assertThat(claims(again.getString("access_token")).getLongClaim("auth_time")).as("every rotation keeps it")
        .isEqualTo(signedIn.getEpochSecond());
    JsonObject narrowed = refresh("spa", again.getString("refresh_token"), "profile");
    assertThat(narrowed.containsKey("id_token")).as("no openid in a narrowed refresh: no id token").isFalse();
    assertThat(claims(narrowed.getString("access_token")).getStringClaim("acr")).isEqualTo("mfa");
  }

  @Test
  void aRefreshOfAPasswordCodeFlowStaysBelowAnMfaRoute() throws Exception {
    signUp("bob");
    String session = new JsonObject(login("bob").body()).getString("session_token");
    JsonObject tokens = spa.tokens(session, "&scope=" + enc("openid profile") + "&nonce=n-1");
    JsonObject refreshed = refresh("spa", tokens.getString("refresh_token"));
    JWTClaimsSet access = claims(refreshed.getString("access_token"));
    assertThat(access.getStringListClaim("amr")).containsExactly("pwd");
    assertThat(access.getStringClaim("acr")).isEqualTo("pwd");
    assertThat(bearerGet("/api/any", refreshed.getString("access_token")).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = bearerGet("/api/strong", refreshed.getString("access_token"));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"insufficient_user_authentication\"").contains("acr_values=\"mfa\"");
  }

  @Test
  void theJsonLoginsFirstPartyTokensCarryTheSignInThroughRefreshes() throws Exception {
    byte[] secret = enrol("carol");
    Instant signedIn = CLOCK.instant();
    HttpResponse<String> half = login("carol");
    assertThat(half.statusCode()).isEqualTo(401);
    HttpResponse<String> done = send("POST", gw.http("/auth/mfa"), new JsonObject()
        .put("mfa_token", new JsonObject(half.body()).getString("mfa_token"))
        .put("code", TOTP.code(secret, CLOCK.instant())).encode(), "application/json", null);
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    JsonObject answer = new JsonObject(done.body());
    JWTClaimsSet access = claims(answer.getString("access_token"));
    assertThat(access.getStringListClaim("amr")).containsExactly("pwd", "otp");
    assertThat(access.getLongClaim("auth_time")).isEqualTo(signedIn.getEpochSecond());
    assertThat(bearerGet("/api/strong", answer.getString("access_token")).statusCode()).isEqualTo(200);

    CLOCK.advance(Duration.ofMinutes(30));
    JsonObject refreshed = refresh("gatehouse", answer.getString("refresh_token"));
    JWTClaimsSet again = claims(refreshed.getString("access_token"));
    assertThat(again.getStringClaim("acr")).isEqualTo("mfa");
    assertThat(again.getLongClaim("auth_time")).isEqualTo(signedIn.getEpochSecond());
    assertThat(bearerGet("/api/strong", refreshed.getString("access_token")).statusCode()).isEqualTo(200);

    signUp("dan");
    JsonObject pwdOnly = new JsonObject(login("dan").body());
    assertThat(claims(pwdOnly.getString("access_token")).getStringClaim("acr")).isEqualTo("pwd");
    assertThat(bearerGet("/api/strong", pwdOnly.getString("access_token")).statusCode()).isEqualTo(401);
  }

  @Test
  void acrValuesMfaStepsAPasswordSessionUpBeforeTheCode() throws Exception {
    // Two sessions by password; the authenticator is enrolled with the second: the first stays a
    // password sign-in of a user who now has a factor (another device's session, say).
    signUp("erin");
    String laptop = new JsonObject(login("erin").body()).getString("session_token");
    String phone = new JsonObject(login("erin").body()).getString("session_token");
    byte[] secret = beginEnrolment(phone);
    confirm(phone, secret);
    CLOCK.advance(Duration.ofSeconds(30));

    CodeVerifier verifier = new CodeVerifier();
    String query = spa.query(verifier, "&scope=openid&nonce=n-2&acr_values=mfa");
    HttpResponse<String> silent = spa.authorize(query + "&prompt=none", laptop);
    assertThat(silent.statusCode()).isEqualTo(302);
    assertThat(params(silent.headers().firstValue("Location").orElseThrow()))
        .containsEntry("error", "interaction_required").containsEntry("state", CodeFlow.STATE)
        .doesNotContainKey("code");

    HttpResponse<String> weak = spa.authorize(query, laptop);
    assertThat(weak.statusCode()).isEqualTo(303);
    String stepUp = weak.headers().firstValue("Location").orElseThrow();
    assertThat(stepUp).startsWith("/auth/mfa?return_to=");
    String back = params(stepUp).get("return_to");
    assertThat(back).startsWith("/oauth2/authorize?").contains("acr_values=mfa");

    HttpResponse<String> stepped = send("POST", gw.http("/auth/mfa"),
        "{\"code\":\"" + TOTP.code(secret, CLOCK.instant()) + "\"}", "application/json", laptop);
    assertThat(stepped.statusCode()).as(stepped.body()).isEqualTo(200);
    String strong = new JsonObject(stepped.body()).getString("session_token");
    Instant steppedAt = CLOCK.instant();
    assertThat(send("GET", gw.http(back), null, null, laptop).statusCode()).as("the step-up ended the old session")
        .isEqualTo(401);

    HttpResponse<String> granted = send("GET", gw.http(back), null, null, strong);
    assertThat(granted.statusCode()).as(granted.body()).isEqualTo(302);
    Map<String, String> answer = params(granted.headers().firstValue("Location").orElseThrow());
    assertThat(answer).containsEntry("state", CodeFlow.STATE).containsKey("code");
    HttpResponse<String> tokens = spa.exchange(answer.get("code"), verifier);
    assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
    JWTClaimsSet id = claims(new JsonObject(tokens.body()).getString("id_token"));
    assertThat(id.getStringClaim("acr")).isEqualTo("mfa");
    assertThat(id.getStringListClaim("amr")).containsExactly("pwd", "otp");
    assertThat(id.getLongClaim("auth_time")).as("the step-up is the new sign-in").isEqualTo(steppedAt.getEpochSecond());
    assertThat(id.getStringClaim("nonce")).isEqualTo("n-2");
  }

  // --- helpers ---

  /** Signs {@code name} up, enrols TOTP and answers the two-factor session the enrolment starts. */
  static String enrolled(String name) throws Exception {
    signUp(name);
    String pwd = new JsonObject(login(name).body()).getString("session_token");
    return confirm(pwd, beginEnrolment(pwd)).getString("session_token");
  }

  /** Signs {@code name} up and enrols TOTP; answers the secret, with the clock on a fresh step. */
  static byte[] enrol(String name) throws Exception {
    signUp(name);
    String pwd = new JsonObject(login(name).body()).getString("session_token");
    byte[] secret = beginEnrolment(pwd);
    confirm(pwd, secret);
    CLOCK.advance(Duration.ofSeconds(30)); // the enrolment's code is spent
    return secret;
  }

  private static byte[] beginEnrolment(String session) throws Exception {
    HttpResponse<String> begun = send("POST", gw.http("/auth/mfa/enrol"), "{}", "application/json", session);
    assertThat(begun.statusCode()).as(begun.body()).isEqualTo(200);
    String base32 = new JsonObject(begun.body()).getString("secret");
    return Base32.decode(base32 + "=".repeat((8 - base32.length() % 8) % 8));
  }

  private static JsonObject confirm(String session, byte[] secret) throws Exception {
    HttpResponse<String> confirmed = send("POST", gw.http("/auth/mfa/enrol"),
        "{\"code\":\"" + TOTP.code(secret, CLOCK.instant()) + "\"}", "application/json", session);
    assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
    return new JsonObject(confirmed.body());
  }

  static void signUp(String name) throws Exception {
    HttpResponse<String> created = send("POST", gw.http("/auth/signup"),
        "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", "application/json", null);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  static HttpResponse<String> login(String name) throws Exception {
    return send("POST", gw.http("/auth/login"), "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}",
        "application/json", null);
  }

  static JsonObject refresh(String clientId, String refreshToken) throws Exception {
    return refresh(clientId, refreshToken, null);
  }

  static JsonObject refresh(String clientId, String refreshToken, String scope) throws Exception {
    HttpResponse<String> tokens = send("POST", gw.http("/oauth2/token"), "grant_type=refresh_token&client_id="
        + clientId + "&refresh_token=" + enc(refreshToken) + (scope == null ? "" : "&scope=" + enc(scope)),
        "application/x-www-form-urlencoded", null);
    assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
    return new JsonObject(tokens.body());
  }

  static JWTClaimsSet claims(String jwt) throws Exception {
    return SignedJWT.parse(jwt).getJWTClaimsSet();
  }

  static HttpResponse<String> bearerGet(String path, String token) throws Exception {
    return gw.get(path, "Authorization", "Bearer " + token);
  }

  static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static HttpResponse<String> send(String method, URI uri, String body, String type, String bearer) throws Exception {
    return gw.send(method, uri, body, type, bearer);
  }

}
