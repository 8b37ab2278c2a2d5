package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.identity.Sessions;
import io.gatehouse.identity.TotpVerifier;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.LogCapture;
import io.gatehouse.support.MutableClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23's policy over HTTP, each test on a server and a clock of its own: an administrator
 * resetting a user's second factors (audited; the user then signs in with the password alone), and
 * {@code identity.mfa: required} (a user without a factor is taken to the enrolment, and reaches no
 * session route until enrolled).
 */
class SecondFactorPolicyIT {

  private static final String PASSWORD = "correct horse battery";
  private static final TotpVerifier TOTP = new TotpVerifier();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));
  private GatehouseFixture gw;

  @Test
  void anAdministratorResetsALostAuthenticatorAndTheUserSignsInWithThePasswordAlone(@TempDir Path data)
      throws Exception {
    try (LogCapture audit = new LogCapture("gatehouse.audit");
        GatehouseFixture started = GatehouseFixture.start(data, """
            signup: { rate_limit: [], default_roles: [admin] }
            """, Map.of(), clock)) {
      gw = started;
      signUp("root");
      String admin = new JsonObject(login("root").body()).getString("session_token");
      signUp("lost");
      String session = new JsonObject(login("lost").body()).getString("session_token");
      enrol(session, new JsonObject());
      String id = userId(admin, "lost");

      JsonObject before = new JsonObject(send("GET", gw.management("/admin/users/" + id), null, null, admin).body());
      assertThat(before.getJsonObject("factors").getMap()).containsEntry("totp", true)
          .containsEntry("recovery_codes_left", 10);
      assertThat(login("lost").statusCode()).as("the password alone is not enough").isEqualTo(401);
      assertThat(send("DELETE", gw.management("/admin/users/" + id + "/factors"), null, null, null).statusCode())
          .as("anonymous").isEqualTo(401);

      assertThat(send("DELETE", gw.management("/admin/users/" + id + "/factors"), null, null, admin).statusCode())
          .isEqualTo(204);
      assertThat(audit.json()).anySatisfy(event -> {
        assertThat(event.getString("event")).isEqualTo("admin.user.mfa_reset");
        assertThat(event.getString("outcome")).isEqualTo("success");
        assertThat(event.encode()).contains(id);
      });
      JsonObject after = new JsonObject(send("GET", gw.management("/admin/users/" + id), null, null, admin).body());
      assertThat(after.getJsonObject("factors").getMap()).containsEntry("totp", false)
          .containsEntry("recovery_codes_left", 0);
      HttpResponse<String> signedIn = login("lost");
      assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
      assertThat(new JsonObject(signedIn.body()).getString("session_token")).isNotBlank();
      assertThat(send("DELETE", gw.management("/admin/users/" + id + "/factors"), null, null, admin).statusCode())
          .as("nothing left to reset").isEqualTo(404);
    }
  }

  @Test
  void withMfaRequiredAUserWithoutAFactorEnrolsBeforeAnySession(@TempDir Path data) throws Exception {
    try (GatehouseFixture started = GatehouseFixture.start(data, """
        signup: { rate_limit: [] }
        identity: { mfa: required }
        routes:
          - { id: plain, path: /api/plain, respond: { body: plain }, auth: [session] }
        """, Map.of(), clock)) {
      gw = started;
      signUp("newbie");

      // A browser: the right password leads to the enrolment, with a pending sign-in that is no session.
      HttpResponse<String> page = gw.get("/auth/login");
      String csrf = cookie(page, "gh_csrf");
      HttpResponse<String> form = send("POST", gw.http("/auth/login"), "username=newbie&password="
          + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&csrf_token=" + csrf + "&return_to=%2Fapi%2Fplain",
          "application/x-www-form-urlencoded", null, "Cookie", "gh_csrf=" + csrf);
      assertThat(form.statusCode()).isEqualTo(303);
      assertThat(form.headers().firstValue("Location")).hasValue("/auth/mfa/enrol");
      assertThat(cookie(form, "gh_session")).as("no session yet").isNull();
      String pending = cookie(form, "gh_mfa");
      assertThat(pending).isNotBlank();
      assertThat(gw.get("/api/plain", "Cookie", "gh_mfa=" + pending).statusCode()).isEqualTo(401);
      assertThat(gw.get("/api/plain", "Cookie", "gh_session=" + pending).statusCode()).isEqualTo(401);
      HttpResponse<String> enrolPage = gw.get("/auth/mfa/enrol", "Cookie", "gh_mfa=" + pending);
      assertThat(enrolPage.statusCode()).isEqualTo(200);

      // An app: the same, as JSON.
      HttpResponse<String> half = login("newbie");
      assertThat(half.statusCode()).isEqualTo(401);
      JsonObject problem = new JsonObject(half.body());
      assertThat(problem.getString("type")).endsWith("second-factor-enrolment-required");
      String mfaToken = problem.getString("mfa_token");
      assertThat(problem.containsKey("session_token")).isFalse();
      assertThat(gw.get("/api/plain", "Authorization", "Bearer " + mfaToken).statusCode()).isEqualTo(401);
      HttpResponse<String> noFactor = post(gw.http("/auth/mfa"), new JsonObject().put("mfa_token", mfaToken)
          .put("code", "123456").encode(), null);
      assertThat(noFactor.statusCode()).as("no code to check yet").isEqualTo(401);

      JsonObject enrolled = enrol(null, new JsonObject().put("mfa_token", mfaToken));
      assertThat(enrolled.getJsonArray("recovery_codes")).hasSize(10);
      String session = enrolled.getString("session_token");
      assertThat(gw.get("/api/plain", "Authorization", "Bearer " + session).statusCode()).isEqualTo(200);
      assertThat(login("newbie").statusCode()).as("from now on, the code is asked for").isEqualTo(401);
      assertThat(new JsonObject(login("newbie").body()).getString("type")).endsWith("second-factor-required");

      // The account page keeps the one factor while it is required.
      assertThat(gw.get("/account", "Authorization", "Bearer " + session).body()).contains("cannot be turned off")
          .doesNotContain("id=\"remove-totp\"");
      HttpResponse<String> off = send("POST", gw.http("/account/totp/remove"),
          "csrf_token=" + Sessions.csrfToken(session), "application/x-www-form-urlencoded", session);
      assertThat(off.headers().firstValue("Location")).hasValue("/account?error=mfa-required");
      assertThat(new JsonObject(login("newbie").body()).getString("type")).endsWith("second-factor-required");
    }
  }

  // --- helpers ---

  /** Enrols TOTP (a session as bearer, or the {@code mfa_token} in {@code body}): the answer to the first code. */
  private JsonObject enrol(String bearer, JsonObject body) throws Exception {
    HttpResponse<String> begun = post(gw.http("/auth/mfa/enrol"), body.encode(), bearer);
    assertThat(begun.statusCode()).as(begun.body()).isEqualTo(200);
    String base32 = new JsonObject(begun.body()).getString("secret");
    byte[] secret = Base32.decode(base32 + "=".repeat((8 - base32.length() % 8) % 8));
    HttpResponse<String> confirmed = post(gw.http("/auth/mfa/enrol"),
        body.copy().put("code", TOTP.code(secret, clock.instant())).encode(), bearer);
    assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(30));
    return new JsonObject(confirmed.body());
  }

  private String userId(String admin, String name) throws Exception {
    HttpResponse<String> users = gw.send(HttpRequest.newBuilder(gw.management("/admin/users"))
        .header("Authorization", "Bearer " + admin).GET().build());
    assertThat(users.statusCode()).as(users.body()).isEqualTo(200);
    JsonArray list = new JsonObject(users.body()).getJsonArray("items");
    return list.stream().map(JsonObject.class::cast).filter(user -> name.equals(user.getString("username")))
        .findFirst().orElseThrow().getString("id");
  }

  private void signUp(String name) throws Exception {
    HttpResponse<String> created = post(gw.http("/auth/signup"),
        "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", null);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  private HttpResponse<String> login(String name) throws Exception {
    return post(gw.http("/auth/login"), "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", null);
  }

  private HttpResponse<String> post(URI uri, String json, String bearer) throws Exception {
    return send("POST", uri, json, "application/json", bearer);
  }

  private HttpResponse<String> send(String method, URI uri, String body, String type, String bearer,
      String... headers) throws Exception {
    return gw.send(method, uri, body, type, bearer, headers);
  }


  /** The value {@code name} is set to by the answer, or null when it sets none. */
  private static String cookie(HttpResponse<String> response, String name) {
    return response.headers().allValues("set-cookie").stream().filter(c -> c.startsWith(name + "="))
        .map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
        .findFirst().orElse(null);
  }
}
