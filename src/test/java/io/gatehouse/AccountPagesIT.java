package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.gatehouse.identity.ApiKeys;
import io.gatehouse.identity.SecretTokens;
import io.gatehouse.identity.Sessions;
import io.gatehouse.identity.TotpVerifier;
import io.gatehouse.support.CodeFlow;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.LogCapture;
import io.gatehouse.support.MutableClock;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23's account pages over HTTP, on a clock the test moves: each form's change and its audit
 * event, the fresh sign-in the security-lowering changes need, and a hostile test per form (no CSRF
 * token, another user's session, key or consent, a made-up id, a stale sign-in, racing twice):
 * a clear answer and nothing changed. {@code AccountBrowserIT} clicks the same forms in Chromium.
 */
class AccountPagesIT {

  private static final String PASSWORD = "correct horse battery";
  private static final String CALLBACK = "https://partner.example/cb";
  private static final String AGENT = "AccountPagesIT/1.0 (test)";
  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));
  private static final Pattern NEW_KEY = Pattern.compile("id=\"new-key\">(gh_[0-9a-f]{12}_[0-9a-f]{64})<");

  @TempDir
  static Path data;
  private static GatehouseFixture gw;
  private static LogCapture audit;

  @BeforeAll
  static void start() throws Exception {
    audit = new LogCapture("gatehouse.audit");
    gw = GatehouseFixture.start(data, """
        signup: { rate_limit: [], default_roles: [admin] }
        rate_limits: { login_failures: { address: 1000, account: 3 } }
        routes:
          - { id: keyed, path: /api/keyed, respond: { body: keyed }, auth: [api_key] }
          - { id: plain, path: /api/plain, respond: { body: plain }, auth: [session] }
        """, Map.of(), CLOCK);
  }

  @AfterAll
  static void stop() {
    gw.close();
    audit.close();
  }

  @Test
  void withoutASessionThePageSendsTheBrowserToSignIn() throws Exception {
    for (String[] headers : new String[][] {{"X-None", "1"}, {"Cookie", "gh_session=not-a-session"}}) {
      HttpResponse<String> page = gw.get("/account", headers);
      assertThat(page.statusCode()).isEqualTo(303);
      assertThat(page.headers().firstValue("Location")).hasValue("/auth/login?return_to=%2Faccount");
    }
    HttpResponse<String> form = post("/account/sessions/end-others", null, "csrf_token=x");
    assertThat(form.statusCode()).isEqualTo(303);
    assertThat(form.headers().firstValue("Location")).hasValue("/auth/login?return_to=%2Faccount");
  }

  @Test
  void thePageShowsTheAccountUnderAStrictPolicy() throws Exception {
    String session = signUpAndIn("paula");
    HttpResponse<String> page = page(session);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp).startsWith("default-src 'none'; style-src 'nonce-").contains("form-action 'self'")
        .contains("frame-ancestors 'none'").doesNotContain("script-src"); // passkeys are off here
    assertThat(page.body()).contains("id=\"username\">paula<").contains(AGENT).contains("127.0.0.1")
        .contains("This browser").contains("value=\"" + Sessions.csrfToken(session) + "\"")
        .doesNotContain("id=\"stale\"").doesNotContain("passkeys-section");
    // Only the fixed notices: a link cannot put words on the page.
    assertThat(gw.get("/account?done=%3Cscript%3E&error=anything", "Authorization", "Bearer " + session).body())
        .doesNotContain("<script>").doesNotContain("id=\"notice\"").doesNotContain("id=\"error\"");
    assertThat(gw.get("/account?done=key-revoked", "Authorization", "Bearer " + session).body())
        .contains("The API key is revoked.");
  }

  @Test
  void whatASignInToldIsShownAsTextNeverAsMarkup() throws Exception {
    String session = signUpAndIn("mona");
    // (Hiding characters such as U+202E are removed before they are stored: SessionTest.)
    String hostile = "<script>alert(1)</script>\" onmouseover=\"x";
    HttpResponse<String> other = gw.send(HttpRequest.newBuilder(gw.http("/auth/login"))
        .header("Content-Type", "application/json").header("User-Agent", hostile)
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"mona\",\"password\":\"" + PASSWORD + "\"}"))
        .build());
    assertThat(other.statusCode()).isEqualTo(200);
    String page = page(session).body();
    assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert")
        .doesNotContain("\" onmouseover");
  }

  @Test
  void everyFormNeedsTheSessionsCsrfTokenAndChangesNothingWithout() throws Exception {
    String session = signUpAndIn("quentin");
    String other = signIn("quentin");
    for (String path : List.of("/account/password", "/account/passkeys/rename", "/account/passkeys/remove",
        "/account/totp/remove", "/account/recovery-codes", "/account/sessions/end", "/account/sessions/end-others",
        "/account/api-keys", "/account/api-keys/revoke", "/account/consents/withdraw")) {
      for (String token : new String[] {null, "forged", Sessions.csrfToken(other)}) {
        HttpResponse<String> refused = post(path, session, "expires_in_days=30&session=" + sha(other)
            + (token == null ? "" : "&csrf_token=" + token));
        assertThat(refused.statusCode()).as(path).isEqualTo(303);
        assertThat(refused.headers().firstValue("Location")).as(path).hasValue("/account?error=expired");
      }
    }
    assertThat(gw.get("/api/plain", "Authorization", "Bearer " + other).statusCode()).isEqualTo(200);
    assertThat(page(session).body()).doesNotContain("class=\"api-key\"");
    // A JSON body is not a form.
    HttpResponse<String> json = gw.send(HttpRequest.newBuilder(gw.http("/account/sessions/end-others"))
        .header("Authorization", "Bearer " + session).header("Content-Type", "application/json")
        .header("X-CSRF-Token", Sessions.csrfToken(session)).POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertThat(json.headers().firstValue("Location")).hasValue("/account?error=failed");
    assertThat(gw.get("/api/plain", "Authorization", "Bearer " + other).statusCode()).isEqualTo(200);
  }

  @Test
  void passwordChangeNeedsTheCurrentPasswordAndAFreshSignIn() throws Exception {
    String session = signUpAndIn("rosa");
    String other = signIn("rosa");
    HttpResponse<String> wrong = form("/account/password", session, "current_password", "not it at all",
        "new_password", "a brand new secret");
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(wrong.body()).contains("The current password is not correct.");
    HttpResponse<String> weak = form("/account/password", session, "current_password", PASSWORD,
        "new_password", "short");
    assertThat(weak.statusCode()).isEqualTo(400);
    assertThat(weak.body()).contains("id=\"error\"");

    CLOCK.advance(Duration.ofMinutes(6));
    try {
      HttpResponse<String> stale = form("/account/password", session, "current_password", PASSWORD,
          "new_password", "a brand new secret");
      assertThat(stale.headers().firstValue("Location")).hasValue("/auth/login?return_to=%2Faccount");
      assertThat(page(session).body()).contains("id=\"stale\"");
      // The JSON endpoint has the same rule.
      HttpResponse<String> json = gw.send(HttpRequest.newBuilder(gw.http("/auth/password"))
          .header("Authorization", "Bearer " + session).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"current_password\":\"" + PASSWORD
              + "\",\"new_password\":\"a brand new secret\"}")).build());
      assertThat(json.statusCode()).isEqualTo(401);
      assertThat(new JsonObject(json.body()).getString("type")).endsWith("fresh-sign-in-required");
      assertThat(signInStatus("rosa", PASSWORD)).as("nothing changed").isEqualTo(200);
    } finally {
      CLOCK.advance(Duration.ofMinutes(-6));
    }
    session = signIn("rosa");
    other = signIn("rosa");
    HttpResponse<String> changed = form("/account/password", session, "current_password", PASSWORD,
        "new_password", "a brand new secret");
    assertThat(changed.headers().firstValue("Location")).hasValue("/account?done=password");
    assertThat(signInStatus("rosa", "a brand new secret")).isEqualTo(200);
    assertThat(signInStatus("rosa", PASSWORD)).isEqualTo(401);
    assertThat(gw.get("/api/plain", "Authorization", "Bearer " + other).statusCode()).as("signed out elsewhere")
        .isEqualTo(401);
    assertThat(gw.get("/api/plain", "Authorization", "Bearer " + session).statusCode()).isEqualTo(200);
    assertThat(audited("password.change", "success")).isTrue();
  }

  @Test
  void apiKeysAreShownOnceCarryNoRolesAndOnlyTheirOwnerRevokesThem() throws Exception {
    String session = signUpAndIn("sven");
    String mallory = signUpAndIn("mallory");
    HttpResponse<String> created = form("/account/api-keys", session, "expires_in_days", "30");
    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(created.headers().firstValue("Cache-Control")).hasValue("no-store");
    Matcher shown = NEW_KEY.matcher(created.body());
    assertThat(shown.find()).isTrue();
    String key = shown.group(1);
    String id = key.substring(3, 15);
    assertThat(gw.get("/api/keyed", "Authorization", "ApiKey " + key).statusCode()).isEqualTo(200);
    assertThat(page(session).body()).contains("gh_" + id + "_").doesNotContain(key);
    assertThat(audited("apikey.create", "success")).isTrue();
    // The key proves the user, nothing more: the admin API does not take it although sven is an admin.
    assertThat(gw.send(HttpRequest.newBuilder(gw.management("/admin/users")).header("Authorization", "ApiKey " + key)
        .build()).statusCode()).isIn(401, 403);

    for (String lifetime : new String[] {"0", "36500", "", "x"}) {
      assertThat(form("/account/api-keys", session, "expires_in_days", lifetime).headers().firstValue("Location"))
          .hasValue("/account?error=key-lifetime");
    }
    HttpResponse<String> notHis = form("/account/api-keys/revoke", mallory, "id", id);
    assertThat(notHis.headers().firstValue("Location")).hasValue("/account?error=not-found");
    assertThat(form("/account/api-keys/revoke", session, "id", "../../etc").headers().firstValue("Location"))
        .hasValue("/account?error=not-found");
    assertThat(gw.get("/api/keyed", "Authorization", "ApiKey " + key).statusCode()).isEqualTo(200);

    // Two revocations at once: one revokes, the other finds nothing.
    List<String> answers = race(() -> form("/account/api-keys/revoke", session, "id", id)
        .headers().firstValue("Location").orElseThrow());
    assertThat(answers).containsExactlyInAnyOrder("/account?done=key-revoked", "/account?error=not-found");
    assertThat(gw.get("/api/keyed", "Authorization", "ApiKey " + key).statusCode()).isEqualTo(401);

    CLOCK.advance(Duration.ofMinutes(6));
    try {
      assertThat(form("/account/api-keys", session, "expires_in_days", "30").headers().firstValue("Location"))
          .hasValue("/auth/login?return_to=%2Faccount");
      assertThat(page(session).body()).doesNotContain("class=\"api-key\"");
    } finally {
      CLOCK.advance(Duration.ofMinutes(-6));
    }
  }

  @Test
  void aUserMakesAtMostTwentyLiveKeys() throws Exception {
    String session = signUpAndIn("kurt");
    String last = null;
    for (int i = 0; i < ApiKeys.MAX_OWN; i++) {
      HttpResponse<String> created = form("/account/api-keys", session, "expires_in_days", "30");
      assertThat(created.statusCode()).isEqualTo(200);
      Matcher shown = NEW_KEY.matcher(created.body());
      assertThat(shown.find()).isTrue();
      last = shown.group(1);
    }
    assertThat(form("/account/api-keys", session, "expires_in_days", "30").headers().firstValue("Location"))
        .hasValue("/account?error=too-many-keys");
    assertThat(form("/account/api-keys/revoke", session, "id", last.substring(3, 15)).headers().firstValue("Location"))
        .hasValue("/account?done=key-revoked");
    assertThat(form("/account/api-keys", session, "expires_in_days", "30").statusCode()).isEqualTo(200);
  }

  @Test
  void sessionsAreListedAndEndedOneByOneOrAllButThisOne() throws Exception {
    String session = signUpAndIn("tara");
    String second = signIn("tara");
    String third = signIn("tara");
    String theirs = signUpAndIn("ulrich");
    String page = page(session).body();
    assertThat(page).contains(sha(second)).contains(sha(third)).doesNotContain(sha(theirs))
        .doesNotContain(second).doesNotContain(third);

    assertThat(form("/account/sessions/end", session, "session", sha(theirs)).headers().firstValue("Location"))
        .hasValue("/account?error=not-found");
    assertThat(gw.get("/api/plain", "Authorization", "Bearer " + theirs).statusCode()).isEqualTo(200);
    assertThat(form("/account/sessions/end", session, "session", "' OR 1=1 --").headers().firstValue("Location"))
        .hasValue("/account?error=not-found");

    List<String> answers = race(() -> form("/account/sessions/end", session, "session", sha(second))
        .headers().firstValue("Location").orElseThrow());
    assertThat(answers).containsExactlyInAnyOrder("/account?done=session-ended", "/account?error=not-found");
    assertThat(gw.get("/api/plain", "Authorization", "Bearer " + second).statusCode()).isEqualTo(401);
    assertThat(gw.get("/api/plain", "Authorization", "Bearer " + third).statusCode()).isEqualTo(200);
    assertThat(audited("session.end", "success")).isTrue();

    assertThat(form("/account/sessions/end-others", session).headers().firstValue("Location"))
        .hasValue("/account?done=sessions-ended");
    assertThat(gw.get("/api/plain", "Authorization", "Bearer " + third).statusCode()).isEqualTo(401);
    assertThat(gw.get("/api/plain", "Authorization", "Bearer " + session).statusCode()).isEqualTo(200);
    assertThat(gw.get("/api/plain", "Authorization", "Bearer " + theirs).statusCode()).isEqualTo(200);
    assertThat(audited("session.end_others", "success")).isTrue();
  }

  @Test
  void totpRecoveryCodesAreRenewedAndTheFactorTurnedOffOnlyAfterAFreshSignIn() throws Exception {
    String session = signUpAndIn("vera");
    assertThat(form("/account/recovery-codes", session).headers().firstValue("Location"))
        .as("no factor: nothing to renew").hasValue("/account?error=not-found");
    byte[] secret = enrol(session);
    CLOCK.advance(Duration.ofSeconds(30));
    session = signInWithCode("vera", secret);
    assertThat(page(session).body()).contains("id=\"remove-totp\"").contains("10 recovery codes left");

    HttpResponse<String> renewed = form("/account/recovery-codes", session);
    assertThat(renewed.statusCode()).isEqualTo(200);
    List<String> codes = Pattern.compile("<li>([^<]+)</li>").matcher(renewed.body()).results()
        .map(match -> match.group(1)).toList();
    assertThat(codes).hasSize(10);
    assertThat(audited("mfa.recovery_codes", "success")).isTrue();

    CLOCK.advance(Duration.ofMinutes(6));
    try {
      assertThat(form("/account/totp/remove", session).headers().firstValue("Location"))
          .hasValue("/auth/login?return_to=%2Faccount");
      assertThat(form("/account/recovery-codes", session).headers().firstValue("Location"))
          .hasValue("/auth/login?return_to=%2Faccount");
      assertThat(page(session).body()).contains("id=\"remove-totp\"");
    } finally {
      CLOCK.advance(Duration.ofMinutes(-6));
    }
    CLOCK.advance(Duration.ofSeconds(30));
    session = signInWithCode("vera", secret);
    HttpResponse<String> removed = form("/account/totp/remove", session);
    assertThat(removed.headers().firstValue("Location")).hasValue("/account?done=totp-removed");
    assertThat(signInStatus("vera", PASSWORD)).as("the password alone signs in again").isEqualTo(200);
    assertThat(audited("mfa.remove", "success")).isTrue();
    assertThat(form("/account/totp/remove", session).headers().firstValue("Location"))
        .hasValue("/account?error=not-found");
  }

  @Test
  void consentsAreWithdrawnByTheirOwnerOnlyAndTheAppsTokensWithThem() throws Exception {
    String admin = signUpAndIn("wanda");
    HttpResponse<String> client = gw.send(HttpRequest.newBuilder(gw.management("/admin/clients"))
        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("""
            {"client_id":"partner","grants":["authorization_code","refresh_token"],"redirect_uris":["%s"]}"""
            .formatted(CALLBACK))).build());
    assertThat(client.statusCode()).isEqualTo(201);
    CodeFlow partner = CodeFlow.confidentialClient(gw, "partner", new JsonObject(client.body())
        .getString("client_secret"), CALLBACK);
    String session = signUpAndIn("xavier");
    String other = signUpAndIn("yusuf");
    String refresh = partner.tokensAllowing(session, "").getString("refresh_token");
    String othersRefresh = partner.tokensAllowing(other, "").getString("refresh_token");
    assertThat(page(session).body()).contains("class=\"consent\"").contains("partner");

    assertThat(form("/account/consents/withdraw", session, "client", "nobody").headers().firstValue("Location"))
        .hasValue("/account?error=not-found");
    // A code asked for before the withdrawal (without a page: the consent is remembered), kept unredeemed.
    CodeVerifier verifier = new CodeVerifier();
    HttpResponse<String> asked = partner.authorizeAllowing(partner.query(verifier, ""), session);
    assertThat(asked.statusCode()).isEqualTo(302);
    String unredeemed = CodeFlow.code(asked);
    assertThat(form("/account/consents/withdraw", session, "client", "partner").headers().firstValue("Location"))
        .hasValue("/account?done=consent-withdrawn");
    assertThat(page(session).body()).doesNotContain("class=\"consent\"");
    assertThat(refreshStatus(partner, refresh)).as("the app's refresh token ends with the consent").isEqualTo(400);
    HttpResponse<String> late = partner.exchange(unredeemed, verifier);
    assertThat(late.statusCode()).as("a code from before the withdrawal is worth nothing").isEqualTo(400);
    assertThat(new JsonObject(late.body()).getString("error")).isEqualTo("invalid_grant");
    assertThat(page(other).body()).as("another user's consent stays").contains("class=\"consent\"");
    assertThat(refreshStatus(partner, othersRefresh)).as("and so do the app's tokens for them").isEqualTo(200);
    assertThat(form("/account/consents/withdraw", session, "client", "partner").headers().firstValue("Location"))
        .hasValue("/account?error=not-found");
    assertThat(audited("consent.withdraw", "success")).isTrue();
  }

  @Test
  void passkeyFormsFindNothingOfAnotherShape() throws Exception {
    String session = signUpAndIn("zoe");
    assertThat(form("/account/passkeys/rename", session, "id", "AAAA", "name", "x").headers().firstValue("Location"))
        .hasValue("/account?error=not-found");
    assertThat(form("/account/passkeys/remove", session, "id", "a b").headers().firstValue("Location"))
        .hasValue("/account?error=not-found");
  }

  // --- helpers

  /** A refresh of partner's {@code refresh} token, rotating it: its status. */
  private static int refreshStatus(CodeFlow partner, String refresh) throws Exception {
    return partner.token("grant_type=refresh_token&refresh_token=" + enc(refresh)).statusCode();
  }

  /** Turns TOTP on over the JSON API; answers the secret. */
  private static byte[] enrol(String session) throws Exception {
    JsonObject begun = new JsonObject(json("/auth/mfa/enrol", "{}", session).body());
    byte[] secret = Base32.decode(pad(begun.getString("secret")));
    HttpResponse<String> confirmed = json("/auth/mfa/enrol",
        "{\"code\":\"" + new TotpVerifier().code(secret, CLOCK.instant()) + "\"}", session);
    assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
    return secret;
  }

  private static String signInWithCode(String name, byte[] secret) throws Exception {
    HttpResponse<String> half = json("/auth/login", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}",
        null);
    String mfaToken = new JsonObject(half.body()).getString("mfa_token");
    HttpResponse<String> done = json("/auth/mfa", "{\"mfa_token\":\"" + mfaToken + "\",\"code\":\""
        + new TotpVerifier().code(secret, CLOCK.instant()) + "\"}", null);
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    return new JsonObject(done.body()).getString("session_token");
  }

  private static String pad(String base32) {
    return base32 + "=".repeat((8 - base32.length() % 8) % 8);
  }

  private static String signUpAndIn(String name) throws Exception {
    assertThat(json("/auth/signup", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", null)
        .statusCode()).isEqualTo(201);
    return signIn(name);
  }

  private static String signIn(String name) throws Exception {
    HttpResponse<String> response = json("/auth/login",
        "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getString("session_token");
  }

  private static int signInStatus(String name, String password) throws Exception {
    return json("/auth/login", "{\"username\":\"" + name + "\",\"password\":\"" + password + "\"}", null).statusCode();
  }

  private static HttpResponse<String> page(String session) throws Exception {
    return gw.get("/account", "Authorization", "Bearer " + session, "User-Agent", AGENT);
  }

  /** A form of {@code fields} (name, value, …) with the session's CSRF token. */
  private static HttpResponse<String> form(String path, String session, String... fields) throws Exception {
    StringBuilder body = new StringBuilder("csrf_token=").append(Sessions.csrfToken(session));
    for (int i = 0; i < fields.length; i += 2) {
      body.append('&').append(enc(fields[i])).append('=').append(enc(fields[i + 1]));
    }
    return post(path, session, body.toString());
  }

  private static HttpResponse<String> post(String path, String session, String form) throws Exception {
    return send(path, "application/x-www-form-urlencoded", form, session);
  }

  private static HttpResponse<String> json(String path, String body, String session) throws Exception {
    return send(path, "application/json", body, session);
  }

  /** A POST from this test's "device" ({@link #AGENT}), with {@code session} as bearer when not null. */
  private static HttpResponse<String> send(String path, String type, String body, String session) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(gw.http(path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", type).header("User-Agent", AGENT).POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      request.header("Authorization", "Bearer " + session);
    }
    return gw.send(request.build());
  }

  /** {@code call} twice at once; both answers. */
  private static List<String> race(Callable<String> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> both = pool.invokeAll(List.of(call, call));
      List<String> answers = new ArrayList<>();
      for (Future<String> answer : both) {
        answers.add(answer.get());
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  private static boolean audited(String event, String outcome) {
    return audit.json().stream().anyMatch(line -> event.equals(line.getString("event"))
        && outcome.equals(line.getString("outcome")));
  }

  private static String sha(String token) {
    return SecretTokens.sha256(token);
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
