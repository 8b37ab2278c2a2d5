package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.identity.Session;
import io.gatehouse.identity.TotpVerifier;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.LogCapture;
import io.gatehouse.support.MutableClock;
import io.gatehouse.support.StoredSessions;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23 end to end over the JSON API, on a clock the test moves: TOTP enrolment, the two-step
 * sign-in, step-up on a route with {@code auth_level: mfa} (RFC 9470 answers), and a hostile test per
 * failure: a wrong code, a replayed code, a reused, expired or made-up pending sign-in, a pending
 * sign-in's attempts spent, guessing throttled, a recovery code used twice.
 */
class SecondFactorIT {

  private static final String PASSWORD = "correct horse battery";

  @TempDir
  static Path data;
  private static GatehouseFixture gw;
  private static LogCapture audit;
  /** At the start of a 30-second step, so that moving on by 30 s gives the next code. */
  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));
  private static final TotpVerifier TOTP = new TotpVerifier();

  @BeforeAll
  static void start() throws Exception {
    audit = new LogCapture("gatehouse.audit");
    gw = GatehouseFixture.start(data, """
        signup: { rate_limit: [] }
        rate_limits: { login_failures: { address: 1000, account: 3 } }
        routes:
          - { id: secret, path: /api/secret, respond: { body: secret }, auth: [session, jwt], auth_level: mfa }
          - { id: plain, path: /api/plain, respond: { body: plain }, auth: [session] }
        """, Map.of(), CLOCK);
  }

  @AfterAll
  static void stop() {
    gw.close();
    audit.close();
  }

  /** A user with a confirmed authenticator: its secret, recovery codes and an mfa session. */
  private record Enrolled(String name, byte[] secret, List<String> recoveryCodes, String session) {
    String code() {
      return TOTP.code(secret, CLOCK.instant());
    }
  }

  private static Enrolled enrolled(String name) throws Exception {
    assertThat(post("/auth/signup", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", null)
        .statusCode()).isEqualTo(201);
    String pwdSession = login(name).getString("session_token");
    HttpResponse<String> begun = post("/auth/mfa/enrol", "{}", pwdSession);
    assertThat(begun.statusCode()).isEqualTo(200);
    JsonObject secret = new JsonObject(begun.body());
    assertThat(secret.getString("otpauth_uri")).startsWith("otpauth://totp/Gatehouse:" + name + "?secret=");
    byte[] key = Base32.decode(pad(secret.getString("secret")));
    HttpResponse<String> confirmed = post("/auth/mfa/enrol", "{\"code\":\"" + TOTP.code(key, CLOCK.instant()) + "\"}",
        pwdSession);
    assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
    JsonObject answer = new JsonObject(confirmed.body());
    assertThat(get("/api/plain", pwdSession).statusCode()).as("the stepped-up session ended").isEqualTo(401);
    CLOCK.advance(Duration.ofSeconds(30)); // the enrolment's code is used: the next one is fresh
    return new Enrolled(name, key, answer.getJsonArray("recovery_codes").stream().map(Object::toString).toList(),
        answer.getString("session_token"));
  }

  private static String pad(String base32) {
    return base32 + "=".repeat((8 - base32.length() % 8) % 8);
  }

  @Test
  void enrolmentStepUpAndTwoStepSignIn() throws Exception {
    assertThat(post("/auth/signup", "{\"username\":\"stepper\",\"password\":\"" + PASSWORD + "\"}", null)
        .statusCode()).isEqualTo(201);
    String pwdSession = login("stepper").getString("session_token");
    HttpResponse<String> weak = get("/api/secret", pwdSession);
    assertThat(weak.statusCode()).isEqualTo(401);
    assertThat(weak.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"insufficient_user_authentication\"").contains("acr_values=\"mfa\"");
    assertThat(new JsonObject(weak.body()).getString("type")).endsWith("insufficient-user-authentication");
    assertThat(get("/api/plain", pwdSession).statusCode()).isEqualTo(200);

    Enrolled alice = enrolled("alice");
    assertThat(get("/api/secret", alice.session()).statusCode()).isEqualTo(200);
    assertThat(alice.recoveryCodes()).hasSize(10);

    // Signing in again: the password alone starts no session.
    HttpResponse<String> half = loginResponse("alice");
    assertThat(half.statusCode()).isEqualTo(401);
    JsonObject pending = new JsonObject(half.body());
    assertThat(pending.getString("type")).endsWith("second-factor-required");
    String mfaToken = pending.getString("mfa_token");
    assertThat(get("/api/plain", mfaToken).statusCode()).as("a pending sign-in is no session").isEqualTo(401);
    HttpResponse<String> done = post("/auth/mfa", "{\"mfa_token\":\"" + mfaToken + "\",\"code\":\"" + alice.code() + "\"}",
        null);
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    JsonObject signedIn = new JsonObject(done.body());
    assertThat(get("/api/secret", signedIn.getString("session_token")).statusCode()).isEqualTo(200);
    assertThat(audit.raw().stream().anyMatch(line -> line.contains("login.second_factor"))).isTrue();
  }

  @Test
  void aBodyThatIsNeitherJsonNorAFormIs415() throws Exception {
    assertThat(post("/auth/signup", "{\"username\":\"plain\",\"password\":\"" + PASSWORD + "\"}", null)
        .statusCode()).isEqualTo(201);
    String session = login("plain").getString("session_token");
    for (String path : new String[] {"/auth/mfa", "/auth/mfa/enrol"}) {
      HttpResponse<String> refused = gw.send(HttpRequest.newBuilder(gw.http(path)).timeout(Duration.ofSeconds(20))
          .header("Content-Type", "text/plain").header("Authorization", "Bearer " + session)
          .POST(HttpRequest.BodyPublishers.ofString("code=123456")).build());
      assertThat(refused.statusCode()).as(path).isEqualTo(415);
      assertThat(new JsonObject(refused.body()).getString("type")).as(path).endsWith("unsupported-media-type");
    }
  }

  @Test
  void eachSessionKeepsTheDeviceAndAddressItsSignInCameFrom() throws Exception {
    Enrolled dora = enrolled("dora");
    String userId = new JsonObject(get("/auth/session", dora.session()).body()).getJsonObject("user").getString("id");
    HttpResponse<String> done = gw.send(HttpRequest.newBuilder(gw.http("/auth/mfa")).header("Content-Type", "application/json")
        .header("User-Agent", "  Mozilla/5.0 (X11; Linux x86_64)\tFirefox/128.0 " + "x".repeat(300))
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("mfa_token", pendingToken("dora"))
            .put("code", dora.code()).encode())).build());
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);

    List<Session> sessions = StoredSessions.forUser(gw, userId);
    assertThat(sessions).extracting(Session::address).containsOnly("127.0.0.1");
    assertThat(sessions).extracting(Session::device).as("the second step's, then the enrolment's; newest first")
        .containsExactly(("Mozilla/5.0 (X11; Linux x86_64)Firefox/128.0 " + "x".repeat(300)).substring(0, 200),
            sessions.get(1).device());
    assertThat(sessions.get(1).device()).startsWith("Java-http-client/");
  }

  @Test
  void wrongAndReplayedCodesAreRefusedAlike() throws Exception {
    Enrolled bob = enrolled("bob");
    String code = bob.code();
    assertThat(secondStep(pendingToken("bob"), "000000").statusCode()).isEqualTo(401);
    CLOCK.advance(Duration.ofSeconds(2)); // past the throttle's first delay
    assertThat(secondStep(pendingToken("bob"), code).statusCode()).isEqualTo(200);
    CLOCK.advance(Duration.ofSeconds(2));
    HttpResponse<String> replay = secondStep(pendingToken("bob"), code);
    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(replay.body()).getString("type")).endsWith("invalid-code");
    assertThat(audit.raw().stream().anyMatch(line -> line.contains("replayed_code"))).isTrue();
  }

  @Test
  void aPendingSignInIsUsedOnceAndNeverAnotherBrowsersOrExpired() throws Exception {
    Enrolled carol = enrolled("carol");
    String token = pendingToken("carol");
    assertThat(secondStep(token, carol.code()).statusCode()).isEqualTo(200);
    CLOCK.advance(Duration.ofSeconds(30));
    HttpResponse<String> reused = secondStep(token, carol.code());
    assertThat(reused.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(reused.body()).getString("type")).endsWith("sign-in-expired");

    assertThat(secondStep("A".repeat(43), carol.code()).statusCode()).as("made up").isEqualTo(401);
    assertThat(secondStep(null, carol.code()).statusCode()).as("none").isEqualTo(401);

    String late = pendingToken("carol");
    CLOCK.advance(Duration.ofMinutes(6));
    HttpResponse<String> expired = secondStep(late, carol.code());
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(expired.body()).getString("type")).endsWith("sign-in-expired");
  }

  @Test
  void guessingIsThrottled() throws Exception {
    Enrolled dave = enrolled("dave");
    String token = pendingToken("dave");
    HttpResponse<String> last = null;
    for (int i = 0; i < 5 && (last == null || last.statusCode() != 429); i++) {
      last = secondStep(token, "111111");
    }
    assertThat(last.statusCode()).as("held back within five guesses").isEqualTo(429);
    assertThat(last.headers().firstValue("Retry-After")).isPresent();
    assertThat(secondStep(token, dave.code()).statusCode()).as("even the right code waits").isEqualTo(429);
    assertThat(audit.raw().stream().anyMatch(line -> line.contains("login.second_factor.throttled"))).isTrue();
  }

  @Test
  void fiveWrongCodesSpendThePendingSignIn() throws Exception {
    Enrolled grace = enrolled("grace");
    String token = pendingToken("grace");
    for (int i = 0; i < 5; i++) {
      assertThat(secondStep(token, "222222").statusCode()).isEqualTo(401);
      CLOCK.advance(Duration.ofSeconds(30)); // beyond the throttle's delays, within the pending sign-in's life
    }
    HttpResponse<String> spent = secondStep(token, grace.code());
    assertThat(spent.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(spent.body()).getString("type")).endsWith("sign-in-expired");
  }

  @Test
  void aRecoveryCodeSignsInOnce() throws Exception {
    Enrolled erin = enrolled("erin");
    String recovery = erin.recoveryCodes().get(3);
    assertThat(secondStep(pendingToken("erin"), recovery.toUpperCase()).statusCode()).isEqualTo(200);
    CLOCK.advance(Duration.ofSeconds(2));
    HttpResponse<String> again = secondStep(pendingToken("erin"), recovery);
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(again.body()).getString("type")).endsWith("invalid-code");
  }

  @Test
  void aSessionSignedInOverFiveMinutesAgoSignsInAgainBeforeItEnrols() throws Exception {
    assertThat(post("/auth/signup", "{\"username\":\"ivy\",\"password\":\"" + PASSWORD + "\"}", null)
        .statusCode()).isEqualTo(201);
    String older = login("ivy").getString("session_token");
    CLOCK.advance(Duration.ofMinutes(5).plusSeconds(1));
    // A stolen session must not bind the thief's authenticator to the account.
    HttpResponse<String> refused = post("/auth/mfa/enrol", "{}", older);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(refused.body()).getString("type")).endsWith("fresh-sign-in-required");
    assertThat(refused.body()).doesNotContain("otpauth");
    assertThat(post("/auth/mfa/enrol", "{\"code\":\"123456\"}", older).statusCode()).isEqualTo(401);
    assertThat(get("/api/plain", older).statusCode()).as("the session itself still works").isEqualTo(200);
    String fresh = login("ivy").getString("session_token");
    assertThat(post("/auth/mfa/enrol", "{}", fresh).statusCode()).as("nothing was enrolled").isEqualTo(200);
  }

  @Test
  void anEnrolledUserCannotEnrolAgain() throws Exception {
    Enrolled frank = enrolled("frank");
    assertThat(post("/auth/mfa/enrol", "{}", frank.session()).statusCode()).isEqualTo(409);
  }

  // --- helpers ---

  private static String pendingToken(String name) throws Exception {
    HttpResponse<String> half = loginResponse(name);
    assertThat(half.statusCode()).as(half.body()).isEqualTo(401);
    return new JsonObject(half.body()).getString("mfa_token");
  }

  private static HttpResponse<String> secondStep(String mfaToken, String code) throws Exception {
    JsonObject body = new JsonObject().put("code", code);
    if (mfaToken != null) {
      body.put("mfa_token", mfaToken);
    }
    return post("/auth/mfa", body.encode(), null);
  }

  private static JsonObject login(String name) throws Exception {
    HttpResponse<String> response = loginResponse(name);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  private static HttpResponse<String> loginResponse(String name) throws Exception {
    return post("/auth/login", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", null);
  }

  private static HttpResponse<String> post(String path, String json, String bearer) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(gw.http(path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return gw.send(request.build());
  }

  private static HttpResponse<String> get(String path, String bearer) throws Exception {
    return gw.get(path, "Authorization", "Bearer " + bearer);
  }
}
