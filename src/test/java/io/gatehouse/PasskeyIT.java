package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.LogCapture;
import io.gatehouse.support.MutableClock;
import io.gatehouse.support.TestAuthenticator;
import io.gatehouse.support.StoredSessions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Passkeys end to end on the real server and the embedded store (and, in {@link PasskeyRedisIT},
 * with the challenges in Redis): registration and sign-in through the JSON API with a software
 * authenticator, the browser's cookie-bound sign-in, list, rename and removal, and every way an
 * answer must fail: a replayed assertion, a challenge from another ceremony, a removed passkey, a
 * wrong origin, no user verification, a counter that goes back, a disabled user, a race of one
 * assertion against itself, and malformed input. Each failure is 401 (400 for malformed input) and
 * changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasskeyIT {

  static final String ORIGIN = "http://localhost:8080";

  private Path data;
  GatehouseFixture gateway;
  /** The server's clock: real time until a test moves it on. */
  final MutableClock clock = new MutableClock(Instant.now());
  private LogCapture audit;

  /** The store block of the config: the embedded SQLite file here. */
  String store() {
    return "store: { embedded: { path: \"${DATA}\" } }\n";
  }

  @BeforeAll
  void start() throws Exception {
    data = Files.createTempDirectory("passkeys");
    audit = new LogCapture("gatehouse.audit");
    gateway = GatehouseFixture.startRaw(data, """
        issuer: "http://localhost:8080"
        server: { http: { host: 127.0.0.1, port: 0 }, https: { enabled: false } }
        management: { host: 127.0.0.1, port: 0 }
        signup: { default_roles: [admin], rate_limit: [] }
        rate_limits: { builtin: [] }
        passkeys: { enabled: true, rp_name: "Gatehouse test", rate_limit: [] }
        """ + store(), Map.of(), clock);
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (audit != null) {
      audit.close();
    }
  }

  @Test
  void registersAndSignsInWithThePasskeyAlone() throws Exception {
    Account alice = account();
    TestAuthenticator passkey = new TestAuthenticator();
    JsonObject creation = creationOptions(alice.token);
    assertThat(creation.getJsonObject("rp").getString("id")).isEqualTo("localhost");
    assertThat(creation.getJsonObject("authenticatorSelection").getString("residentKey")).isEqualTo("required");
    assertThat(creation.getJsonObject("authenticatorSelection").getString("userVerification")).isEqualTo("required");
    assertThat(creation.getJsonArray("excludeCredentials")).isEmpty();
    HttpResponse<String> registered = post("/auth/passkeys", new JsonObject().put("name", "Laptop")
        .put("credential", passkey.create(creation, ORIGIN)), alice.token);
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    assertThat(new JsonObject(registered.body()).getString("id")).isEqualTo(passkey.credentialId());

    // A second registration excludes the first.
    assertThat(creationOptions(alice.token).getJsonArray("excludeCredentials").getJsonObject(0).getString("id"))
        .isEqualTo(passkey.credentialId());

    JsonObject options = signInOptions();
    assertThat(options.getJsonObject("publicKey").getJsonArray("allowCredentials")).isEmpty();
    assertThat(options.getJsonObject("publicKey").getString("userVerification")).isEqualTo("required");
    HttpResponse<String> signedIn = signIn(options.getString("handle"),
        passkey.get(options.getJsonObject("publicKey"), ORIGIN, 0));
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
    JsonObject tokens = new JsonObject(signedIn.body());
    assertThat(tokens.getString("token_type")).isEqualTo("Bearer");
    assertThat(tokens.getString("access_token")).isNotBlank();
    HttpResponse<String> session = gateway.get("/auth/session", "Authorization", "Bearer " + tokens.getString(
        "session_token"));
    assertThat(new JsonObject(session.body()).getJsonObject("user").getString("id")).isEqualTo(alice.id);
    // Each session remembers where its sign-in came from, the password's and the passkey's: this
    // client's User-Agent and address.
    assertThat(StoredSessions.forUser(gateway, alice.id)).extracting(s -> s.amr().get(0))
        .as("started at the same moment: in either order").containsExactlyInAnyOrder("hwk", "pwd");
    assertThat(StoredSessions.forUser(gateway, alice.id)).allSatisfy(s -> {
      assertThat(s.device()).startsWith("Java-http-client/");
      assertThat(s.address()).isEqualTo("127.0.0.1");
    });

    JsonObject listed = list(alice.token).getJsonObject(0);
    assertThat(listed.getString("name")).isEqualTo("Laptop");
    assertThat(listed.getString("last_used_at")).isNotNull();
    assertThat(listed.containsKey("public_key")).isFalse();
    assertThat(audit.json()).anySatisfy(e -> {
      assertThat(e.getString("event")).isEqualTo("login");
      assertThat(e.getString("detail")).startsWith("method=passkey");
    });
  }

  @Test
  void aBrowserSignsInWithTheHandleInItsCookieAndGetsTheSessionCookie() throws Exception {
    Account bob = account();
    TestAuthenticator passkey = register(bob);
    HttpResponse<String> started = post("/auth/login/passkey/options", new JsonObject(), null);
    String cookie = started.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("gh_passkey="))
        .findFirst().orElseThrow();
    assertThat(cookie).containsIgnoringCase("HttpOnly").contains("SameSite=Lax").contains("Max-Age=120");
    JsonObject options = new JsonObject(started.body());
    JsonObject credential = passkey.get(options.getJsonObject("publicKey"), ORIGIN, 0);
    HttpResponse<String> signedIn = gateway.send(HttpRequest.newBuilder(gateway.http("/auth/login/passkey"))
        .header("Content-Type", "application/json").header("Cookie", cookie.substring(0, cookie.indexOf(';')))
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("credential", credential)
            .put("return_to", "/app/home").encode())).build());
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
    assertThat(new JsonObject(signedIn.body()).getString("return_to")).isEqualTo("/app/home");
    assertThat(new JsonObject(signedIn.body()).containsKey("session_token")).isFalse();
    assertThat(signedIn.headers().allValues("set-cookie")).anySatisfy(c -> assertThat(c).startsWith("gh_session=")
        .containsIgnoringCase("HttpOnly"));

    // Without the cookie (or the handle), the same kind of answer admits no one.
    JsonObject again = signInOptions();
    HttpResponse<String> cookieless = post("/auth/login/passkey", new JsonObject().put("credential",
        passkey.get(again.getJsonObject("publicKey"), ORIGIN, 0)), null);
    assertThat(cookieless.statusCode()).isEqualTo(401);
  }

  @Test
  void aReplayedAssertionIsRefused() throws Exception {
    TestAuthenticator passkey = register(account());
    JsonObject options = signInOptions();
    JsonObject assertion = passkey.get(options.getJsonObject("publicKey"), ORIGIN, 0);
    assertThat(signIn(options.getString("handle"), assertion).statusCode()).isEqualTo(200);
    HttpResponse<String> replayed = signIn(options.getString("handle"), assertion);
    assertThat(replayed.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(replayed.body()).getString("type")).isEqualTo("urn:gatehouse:problem:passkey-rejected");
    assertThat(replayed.body()).doesNotContain("challenge");
    assertAudited("reason=challenge_unknown");
  }

  @Test
  void oneAssertionRacedAgainstItselfSignsInOnce() throws Exception {
    TestAuthenticator passkey = register(account());
    for (int round = 0; round < 5; round++) {
      JsonObject options = signInOptions();
      JsonObject assertion = passkey.get(options.getJsonObject("publicKey"), ORIGIN, 10 + round);
      List<CompletableFuture<HttpResponse<String>>> racing = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        racing.add(gateway.client().sendAsync(signInRequest(options.getString("handle"), assertion),
            HttpResponse.BodyHandlers.ofString()));
      }
      List<Integer> statuses = racing.stream().map(f -> f.join().statusCode()).sorted().toList();
      assertThat(statuses).containsExactly(200, 401, 401, 401);
    }
  }

  @Test
  void aChallengeFromAnotherCeremonyIsRefused() throws Exception {
    TestAuthenticator passkey = register(account());
    JsonObject mine = signInOptions();
    JsonObject theirs = signInOptions();
    // Signed over one ceremony's challenge, presented with the other's handle.
    JsonObject assertion = passkey.get(theirs.getJsonObject("publicKey"), ORIGIN, 0);
    assertThat(signIn(mine.getString("handle"), assertion).statusCode()).isEqualTo(401);
    assertAudited("reason=challenge_mismatch");
    // A handle nobody was given.
    assertThat(signIn("A".repeat(43), passkey.get(theirs.getJsonObject("publicKey"), ORIGIN, 0)).statusCode())
        .isEqualTo(401);
  }

  @Test
  void aRemovedPasskeySignsNoOneIn() throws Exception {
    Account carol = account();
    TestAuthenticator passkey = register(carol);
    HttpResponse<String> removed = send("DELETE", "/auth/passkeys/" + passkey.credentialId(), null, carol.token);
    assertThat(removed.statusCode()).isEqualTo(204);
    assertThat(list(carol.token)).isEmpty();
    JsonObject options = signInOptions();
    assertThat(signIn(options.getString("handle"), passkey.get(options.getJsonObject("publicKey"), ORIGIN, 0))
        .statusCode()).isEqualTo(401);
    assertAudited("reason=credential_unknown");
    assertThat(send("DELETE", "/auth/passkeys/" + passkey.credentialId(), null, carol.token).statusCode())
        .isEqualTo(404);
  }

  @Test
  void aWrongOriginIsRefused() throws Exception {
    TestAuthenticator passkey = register(account());
    for (String origin : List.of("https://localhost:8080", "http://localhost:8081", "http://evil.example",
        "http://localhost.evil.example:8080")) {
      JsonObject options = signInOptions();
      assertThat(signIn(options.getString("handle"), passkey.get(options.getJsonObject("publicKey"), origin, 0))
          .statusCode()).as(origin).isEqualTo(401);
    }
    assertAudited("reason=origin");
  }

  @Test
  void anAssertionWithoutUserVerificationIsRefused() throws Exception {
    Account dave = account();
    TestAuthenticator passkey = register(dave);
    JsonObject options = signInOptions();
    HttpResponse<String> refused = signIn(options.getString("handle"), passkey.get(options.getJsonObject("publicKey"),
        ORIGIN, TestAuthenticator.UP, 1, null));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertAudited("reason=user_not_verified");
    assertThat(list(dave.token).getJsonObject(0).getString("last_used_at")).isNull();
  }

  @Test
  void aRegistrationWithoutUserVerificationIsRefused() throws Exception {
    Account erin = account();
    TestAuthenticator passkey = new TestAuthenticator();
    HttpResponse<String> refused = post("/auth/passkeys", new JsonObject().put("credential",
        passkey.create(creationOptions(erin.token), ORIGIN, TestAuthenticator.UP, 0)), erin.token);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(list(erin.token)).isEmpty();
  }

  @Test
  void aCounterThatGoesBackIsRefusedAsAPossibleClone() throws Exception {
    Account frank = account();
    TestAuthenticator passkey = new TestAuthenticator();
    assertThat(post("/auth/passkeys", new JsonObject().put("credential", passkey.create(creationOptions(frank.token),
        ORIGIN, (byte) (TestAuthenticator.UP | TestAuthenticator.UV), 5)), frank.token).statusCode()).isEqualTo(201);
    JsonObject options = signInOptions();
    assertThat(signIn(options.getString("handle"), passkey.get(options.getJsonObject("publicKey"), ORIGIN, 9))
        .statusCode()).isEqualTo(200);
    for (long counter : new long[] {9, 7}) {
      JsonObject next = signInOptions();
      assertThat(signIn(next.getString("handle"), passkey.get(next.getJsonObject("publicKey"), ORIGIN, counter))
          .statusCode()).as("counter " + counter).isEqualTo(401);
    }
    assertAudited("reason=counter_regression");
    assertThat(audit.json()).anySatisfy(e -> assertThat(e.getString("event")).isEqualTo("passkey.clone_suspected"));
    JsonObject later = signInOptions();
    assertThat(signIn(later.getString("handle"), passkey.get(later.getJsonObject("publicKey"), ORIGIN, 10))
        .statusCode()).isEqualTo(200);
  }

  @Test
  void aBackupEligibleFlagThatChangesIsRefused() throws Exception {
    TestAuthenticator passkey = register(account());
    JsonObject options = signInOptions();
    assertThat(signIn(options.getString("handle"), passkey.get(options.getJsonObject("publicKey"), ORIGIN,
        (byte) (TestAuthenticator.UP | TestAuthenticator.UV | TestAuthenticator.BE), 0, null)).statusCode())
        .isEqualTo(401);
    assertAudited("reason=backup_flags");
  }

  @Test
  void anotherUsersHandleIsRefused() throws Exception {
    TestAuthenticator passkey = register(account());
    JsonObject options = signInOptions();
    assertThat(signIn(options.getString("handle"), passkey.get(options.getJsonObject("publicKey"), ORIGIN,
        (byte) (TestAuthenticator.UP | TestAuthenticator.UV), 0,
        UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))).statusCode()).isEqualTo(401);
    assertAudited("reason=user_handle_mismatch");
  }

  @Test
  void aDisabledUsersPasskeySignsNoOneIn() throws Exception {
    Account admin = account();
    Account gina = account();
    TestAuthenticator passkey = register(gina);
    HttpResponse<String> disabled = gateway.send(HttpRequest.newBuilder(gateway.management("/admin/users/" + gina.id))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + admin.token)
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"disabled\":true}")).build());
    assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
    JsonObject options = signInOptions();
    assertThat(signIn(options.getString("handle"), passkey.get(options.getJsonObject("publicKey"), ORIGIN, 0))
        .statusCode()).isEqualTo(401);
    assertAudited("reason=user_disabled");
  }

  @Test
  void anAdminSeesAUsersPasskeysAndRemovesALostOne() throws Exception {
    Account admin = account();
    Account hugo = account();
    TestAuthenticator passkey = register(hugo);
    HttpResponse<String> shown = admin("GET", "/admin/users/" + hugo.id, admin.token);
    assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
    JsonArray passkeys = new JsonObject(shown.body()).getJsonArray("passkeys");
    assertThat(passkeys).hasSize(1);
    assertThat(passkeys.getJsonObject(0).getString("id")).isEqualTo(passkey.credentialId());
    assertThat(passkeys.getJsonObject(0).containsKey("public_key")).isFalse();

    String path = "/admin/users/" + hugo.id + "/passkeys/" + passkey.credentialId();
    assertThat(admin("DELETE", path, null).statusCode()).isEqualTo(401);
    assertThat(admin("DELETE", "/admin/users/" + admin.id + "/passkeys/" + passkey.credentialId(), admin.token)
        .statusCode()).as("another user's passkey id").isEqualTo(404);
    assertThat(admin("DELETE", path, admin.token).statusCode()).isEqualTo(204);
    assertThat(audit.json()).anySatisfy(e -> {
      assertThat(e.getString("event")).isEqualTo("admin.user.passkey_remove");
      assertThat(e.getString("user_id")).isEqualTo(hugo.id);
    });
    assertThat(list(hugo.token)).isEmpty();
    JsonObject options = signInOptions();
    assertThat(signIn(options.getString("handle"), passkey.get(options.getJsonObject("publicKey"), ORIGIN, 0))
        .statusCode()).isEqualTo(401);
    assertThat(admin("DELETE", path, admin.token).statusCode()).isEqualTo(404);
  }

  HttpResponse<String> admin(String method, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(gateway.management(path)).timeout(Duration.ofSeconds(20))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return gateway.send(request.build());
  }

  @Test
  void aStepUpWithoutACodeOffersThePasskeyInstead() throws Exception {
    Account kim = account();
    // A password session stepping up, with no authenticator app: the enrolment page, which also
    // offers the passkey (a passkey sign-in meets auth_level: mfa), and back to where it was going.
    HttpResponse<String> enrol = gateway.get("/auth/mfa/enrol?return_to=%2Fapp%2Fpayroll",
        "Authorization", "Bearer " + kim.token);
    assertThat(enrol.statusCode()).isEqualTo(200);
    assertThat(enrol.body()).contains("id=\"use-passkey\" href=\"/auth/login?return_to=%2Fapp%2Fpayroll\"");
  }

  @Test
  void aSessionSignedInOverFiveMinutesAgoSignsInAgainBeforeItRegisters() throws Exception {
    Account ida = account();
    JsonObject options = creationOptions(ida.token);
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    // A stolen session must not bind the thief's passkey to the account.
    HttpResponse<String> refused = post("/auth/passkeys/options", new JsonObject(), ida.token);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(refused.body()).getString("type")).endsWith("fresh-sign-in-required");
    assertThat(post("/auth/passkeys", new JsonObject().put("credential",
        new TestAuthenticator().create(options, ORIGIN)), ida.token).statusCode())
        .as("options asked while fresh are not answered once stale").isEqualTo(401);
    assertThat(list(ida.token)).isEmpty();
    register(new Account(ida.id, ida.name, login(ida.name)));
  }

  @Test
  void aSessionSignedInOverFiveMinutesAgoSignsInAgainBeforeItRemovesAPasskey() throws Exception {
    Account ivy = account();
    TestAuthenticator passkey = register(ivy);
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    // It may be the account's last factor: a stolen session must not take it away.
    HttpResponse<String> refused = send("DELETE", "/auth/passkeys/" + passkey.credentialId(), null, ivy.token);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(refused.body()).getString("type")).endsWith("fresh-sign-in-required");
    assertThat(list(ivy.token)).hasSize(1);
    assertThat(send("DELETE", "/auth/passkeys/" + passkey.credentialId(), null, login(ivy.name)).statusCode())
        .isEqualTo(204);
  }

  @Test
  void aRegistrationChallengeBelongsToTheSessionThatAskedForIt() throws Exception {
    Account hal = account();
    String otherSession = login(hal.name);
    TestAuthenticator passkey = new TestAuthenticator();
    JsonObject options = creationOptions(hal.token);
    HttpResponse<String> elsewhere = post("/auth/passkeys", new JsonObject().put("credential",
        passkey.create(options, ORIGIN)), otherSession);
    assertThat(elsewhere.statusCode()).isEqualTo(401);
    // And the challenge it answered is spent only for the session that presented it.
    HttpResponse<String> own = post("/auth/passkeys", new JsonObject().put("credential",
        passkey.create(options, ORIGIN)), hal.token);
    assertThat(own.statusCode()).isEqualTo(201);
    HttpResponse<String> again = post("/auth/passkeys", new JsonObject().put("credential",
        new TestAuthenticator().create(options, ORIGIN)), hal.token);
    assertThat(again.statusCode()).as("a registration challenge is single-use").isEqualTo(401);
  }

  @Test
  void listsRenamesAndRemovesOnlyTheCallersOwnPasskeys() throws Exception {
    Account ivan = account();
    Account judy = account();
    TestAuthenticator ivans = register(ivan);
    assertThat(send("PATCH", "/auth/passkeys/" + ivans.credentialId(), new JsonObject().put("name", "Phone  "),
        ivan.token).statusCode()).isEqualTo(204);
    assertThat(list(ivan.token).getJsonObject(0).getString("name")).isEqualTo("Phone");
    assertThat(send("PATCH", "/auth/passkeys/" + ivans.credentialId(), new JsonObject().put("name", "Mine"),
        judy.token).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/auth/passkeys/" + ivans.credentialId(), null, judy.token).statusCode()).isEqualTo(404);
    assertThat(list(judy.token)).isEmpty();
    assertThat(list(ivan.token)).hasSize(1);
    for (String hostile : List.of("", "x".repeat(65), "a\u0000b", "right\u202Eleft", "\n")) {
      HttpResponse<String> refused = send("PATCH", "/auth/passkeys/" + ivans.credentialId(),
          new JsonObject().put("name", hostile), ivan.token);
      assertThat(refused.statusCode()).as(hostile).isEqualTo(400);
      assertThat(refused.body()).contains("invalid-params");
    }
    assertThat(list(ivan.token).getJsonObject(0).getString("name")).isEqualTo("Phone");
    assertThat(send("DELETE", "/auth/passkeys/not%2Fan-id", null, ivan.token).statusCode()).isIn(400, 404);
    assertThat(gateway.get("/auth/passkeys").statusCode()).isEqualTo(401);
    assertThat(audit.json()).anySatisfy(e -> assertThat(e.getString("event")).isEqualTo("passkey.rename"));
  }

  @Test
  void malformedAnswersAreRefusedAndChangeNothing() throws Exception {
    Account kim = account();
    JsonObject options = signInOptions();
    List<JsonObject> hostile = List.of(
        new JsonObject(),
        new JsonObject().put("credential", "not an object"),
        new JsonObject().put("credential", new JsonObject()),
        new JsonObject().put("credential", new JsonObject().put("id", "AAAA").put("type", "public-key")
            .put("response", new JsonObject().put("clientDataJSON", "%%%").put("authenticatorData", "AAAA")
                .put("signature", "AAAA"))),
        new JsonObject().put("credential", new JsonObject().put("id", "A".repeat(20000))));
    for (JsonObject body : hostile) {
      HttpResponse<String> answer = post("/auth/login/passkey", body.put("handle", options.getString("handle")),
          null);
      assertThat(answer.statusCode()).as(body.encode()).isIn(400, 413);
      HttpResponse<String> registering = post("/auth/passkeys", body, kim.token);
      assertThat(registering.statusCode()).as(body.encode()).isIn(400, 413);
    }
    assertThat(list(kim.token)).isEmpty();
    HttpResponse<String> form = gateway.send(HttpRequest.newBuilder(gateway.http("/auth/login/passkey"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("credential=x")).build());
    assertThat(form.statusCode()).isEqualTo(415);
  }

  // --- helpers

  record Account(String id, String name, String token) {
  }

  Account account() throws Exception {
    String name = "pk" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> signup = post("/auth/signup", new JsonObject().put("username", name)
        .put("password", "passkey pass phrase"), null);
    assertThat(signup.statusCode()).as(signup.body()).isEqualTo(201);
    return new Account(new JsonObject(signup.body()).getString("id"), name, login(name));
  }

  String login(String name) throws Exception {
    HttpResponse<String> login = post("/auth/login", new JsonObject().put("username", name)
        .put("password", "passkey pass phrase"), null);
    return new JsonObject(login.body()).getString("session_token");
  }

  TestAuthenticator register(Account account) throws Exception {
    TestAuthenticator passkey = new TestAuthenticator();
    HttpResponse<String> registered = post("/auth/passkeys", new JsonObject().put("credential",
        passkey.create(creationOptions(account.token), ORIGIN)), account.token);
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    return passkey;
  }

  JsonObject creationOptions(String token) throws Exception {
    HttpResponse<String> options = post("/auth/passkeys/options", new JsonObject(), token);
    assertThat(options.statusCode()).as(options.body()).isEqualTo(200);
    return new JsonObject(options.body()).getJsonObject("publicKey");
  }

  JsonObject signInOptions() throws Exception {
    HttpResponse<String> options = post("/auth/login/passkey/options", new JsonObject(), null);
    assertThat(options.statusCode()).as(options.body()).isEqualTo(200);
    return new JsonObject(options.body());
  }

  HttpResponse<String> signIn(String handle, JsonObject credential) throws Exception {
    return gateway.send(signInRequest(handle, credential));
  }

  HttpRequest signInRequest(String handle, JsonObject credential) {
    return HttpRequest.newBuilder(gateway.http("/auth/login/passkey")).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("handle", handle).put("credential", credential)
            .encode())).build();
  }

  JsonArray list(String token) throws Exception {
    HttpResponse<String> list = gateway.get("/auth/passkeys", "Authorization", "Bearer " + token);
    assertThat(list.statusCode()).isEqualTo(200);
    return new JsonObject(list.body()).getJsonArray("passkeys");
  }

  HttpResponse<String> post(String path, JsonObject body, String token) throws Exception {
    return send("POST", path, body, token);
  }

  HttpResponse<String> send(String method, String path, JsonObject body, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(gateway.http(path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return gateway.send(request.build());
  }

  void assertAudited(String detail) {
    assertThat(audit.json()).anySatisfy(e -> {
      assertThat(e.getString("event")).isEqualTo("login");
      assertThat(e.getString("outcome")).isEqualTo("failure");
      assertThat(e.getString("detail")).isEqualTo("method=passkey " + detail);
    });
  }
}
