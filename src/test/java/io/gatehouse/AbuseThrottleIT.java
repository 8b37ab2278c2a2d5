package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.LogCapture;
import io.gatehouse.support.MutableClock;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Password guessing and client-secret guessing slowed down through the real gateway, on a clock
 * the test moves. The peer (127.0.0.1) is a trusted proxy here, so each request names its client
 * address in {@code X-Forwarded-For}, as a load balancer in front would.
 */
class AbuseThrottleIT {

  static final String PASSWORD = "correct horse battery staple";
  static final String USUAL = "192.0.2.10";

  @TempDir
  static Path dir;
  static final MutableClock clock = new MutableClock(Instant.now());
  static GatehouseFixture gateway;
  static LogCapture audit;
  static String secret;

  @BeforeAll
  static void start() throws Exception {
    audit = new LogCapture("gatehouse.audit");
    gateway = GatehouseFixture.start(dir, """
        signup: { default_roles: [admin] }
        rate_limits:
          login_failures: { address: 8, account: 3 }
          token_failures: { address: 8, client: 3 }
        """, Map.of("TRUSTED", "127.0.0.1"), clock);
    assertThat(post("/auth/signup", json("victim", PASSWORD), "198.51.100.1").statusCode()).isEqualTo(201);
    assertThat(post("/auth/signup", json("root", PASSWORD), "198.51.100.1").statusCode()).isEqualTo(201);
    String admin = new JsonObject(post("/auth/login", json("root", PASSWORD), "198.51.100.1").body())
        .getString("session_token");
    HttpResponse<String> created = gateway.send(HttpRequest.newBuilder(gateway.management("/admin/clients"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)
        .POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"billing\",\"scopes\":[\"svc:read\"]}")).build());
    secret = new JsonObject(created.body()).getString("client_secret");
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (audit != null) {
      audit.close();
    }
  }

  /** Each test starts after every failure of the one before is forgotten. */
  @BeforeEach
  void anotherDay() {
    clock.advance(Duration.ofDays(1));
  }

  @Test
  void failedLoginsSlowDownPerAccountUpToABoundAndTheOwnerStillGetsInFromTheirUsualAddress() throws Exception {
    assertThat(login("victim", PASSWORD, USUAL).statusCode()).isEqualTo(200); // the owner's usual address
    String attacker = "203.0.113.66";
    for (int i = 0; i < 4; i++) { // three free failures, then the fourth starts a delay
      assertThat(login("victim", "guess-" + i, attacker).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> held = login("victim", "guess-x", attacker);
    assertThat(held.statusCode()).isEqualTo(429);
    assertThat(held.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(held.body()).contains("too-many-requests").doesNotContain("victim");
    // Another address is held back too: the delay is the account's.
    assertThat(login("victim", "guess-y", "198.51.100.200").statusCode()).isEqualTo(429);
    // The delay grows with each failure, up to its cap of a minute.
    long wait = 1;
    for (int i = 0; i < 12; i++) {
      clock.advance(Duration.ofSeconds(wait));
      assertThat(login("victim", "again-" + i, "203.0.113." + (100 + i)).statusCode()).isEqualTo(401);
      HttpResponse<String> next = login("victim", "again", attacker);
      assertThat(next.statusCode()).isEqualTo(429);
      long grown = Long.parseLong(next.headers().firstValue("Retry-After").orElseThrow());
      assertThat(grown).isGreaterThanOrEqualTo(Math.min(wait, 60)).isLessThanOrEqualTo(60);
      wait = grown;
    }
    assertThat(wait).isEqualTo(60);
    // All the while the owner's password from their usual address goes through...
    assertThat(login("victim", PASSWORD, USUAL).statusCode()).isEqualTo(200);
    // ...and from anywhere else once the bounded delay has passed; that success resets the account.
    clock.advance(Duration.ofSeconds(60));
    assertThat(login("victim", PASSWORD, "198.51.100.250").statusCode()).isEqualTo(200);
    assertThat(login("victim", "one more guess", "198.51.100.251").statusCode()).isEqualTo(401);

    assertThat(audit.json()).anySatisfy(e -> {
      assertThat(e.getString("event")).isEqualTo("login.throttled");
      assertThat(e.getString("outcome")).isEqualTo("refused");
      assertThat(e.getString("detail")).contains("scope=account");
    });
    assertThat(audit.json()).anySatisfy(e -> {
      assertThat(e.getString("event")).isEqualTo("login.throttle");
      assertThat(e.getString("outcome")).isEqualTo("delayed");
    });
    assertThat(String.join("\n", audit.raw())).doesNotContain(PASSWORD, "guess-");
  }

  @Test
  void oneAddressGuessingManyAccountsIsSlowedDownByAddress() throws Exception {
    String attacker = "203.0.113.99";
    for (int i = 0; i < 9; i++) { // eight free failures, then the ninth starts a delay
      assertThat(login("user-" + i, "guess", attacker).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> held = login("someone-new", "guess", attacker);
    assertThat(held.statusCode()).isEqualTo(429);
    assertThat(held.headers().firstValue("Retry-After")).isPresent();
    // A success from the address takes back only its own count: the attacker cannot clear it so.
    clock.advance(Duration.ofSeconds(1));
    assertThat(login("root", PASSWORD, attacker).statusCode()).isEqualTo(200);
    assertThat(login("user-x", "guess", attacker).statusCode()).isEqualTo(401);
    assertThat(login("user-y", "guess", attacker).statusCode()).isEqualTo(429);
    // Other addresses are not affected.
    assertThat(login("victim", PASSWORD, "198.51.100.77").statusCode()).isEqualTo(200);
  }

  @Test
  void theLoginPageShowsTheWaitWithA429() throws Exception {
    String attacker = "203.0.113.150";
    HttpResponse<String> page = gateway.send(HttpRequest.newBuilder(gateway.http("/auth/login"))
        .header("X-Forwarded-For", attacker).build());
    String csrf = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("gh_csrf="))
        .map(c -> c.substring(8, c.indexOf(';'))).findFirst().orElseThrow();
    HttpResponse<String> last = null;
    for (int i = 0; i < 5; i++) {
      last = gateway.send(HttpRequest.newBuilder(gateway.http("/auth/login"))
          .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "gh_csrf=" + csrf)
          .header("X-Forwarded-For", attacker)
          .POST(HttpRequest.BodyPublishers.ofString("username=victim&password=form-guess-" + i + "&csrf_token=" + csrf))
          .build());
    }
    assertThat(last.statusCode()).isEqualTo(429);
    assertThat(last.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(last.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(last.body()).contains("Too many failed sign-ins. Please try again in 1 second.")
        .contains("name=\"csrf_token\"");
  }

  @Test
  void parallelGuessesAreCountedBeforeTheyAreChecked() throws Exception {
    String attacker = "203.0.113.123";
    var client = gateway.client();
    var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
    for (int i = 0; i < 50; i++) {
      futures.add(client.sendAsync(loginRequest("victim", "parallel-" + i, attacker),
          HttpResponse.BodyHandlers.ofString()));
    }
    long checked = futures.stream().map(java.util.concurrent.CompletableFuture::join)
        .filter(r -> r.statusCode() == 401).count();
    assertThat(checked).as("the free three and the one that starts the delay, checked and counted in one step")
        .isEqualTo(4);
  }

  @Test
  void parallelClientSecretGuessesAreHeldBackLikeSequentialOnes() throws Exception {
    var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
    for (int i = 0; i < 50; i++) {
      futures.add(gateway.client().sendAsync(tokenRequest("racer", "wrong", "203.0.113.202"),
          HttpResponse.BodyHandlers.ofString()));
    }
    long checked = futures.stream().map(java.util.concurrent.CompletableFuture::join)
        .filter(r -> r.statusCode() == 401).count();
    assertThat(checked).as("the client's free three and the one that starts the delay").isEqualTo(4);
  }

  @Test
  void clientAuthenticationFailuresAtTheTokenEndpointSlowDownPerClient() throws Exception {
    String attacker = "203.0.113.200";
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> wrong = token("billing", "wrong-" + i, attacker);
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(new JsonObject(wrong.body()).getString("error")).isEqualTo("invalid_client");
    }
    HttpResponse<String> held = token("billing", "wrong", "198.51.100.9");
    assertThat(held.statusCode()).isEqualTo(429);
    assertThat(new JsonObject(held.body()).getString("error")).isEqualTo("slow_down");
    assertThat(held.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(held.headers().firstValue("Cache-Control")).hasValue("no-store");
    // The right secret waits out the delay too, then works and resets the client's count.
    clock.advance(Duration.ofSeconds(1));
    HttpResponse<String> ok = token("billing", secret, "198.51.100.9");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(token("billing", "wrong-again", attacker).statusCode()).isEqualTo(401);
    assertThat(audit.json()).anySatisfy(e -> assertThat(e.getString("event")).isEqualTo("oauth.client_auth.throttled"));
    assertThat(String.join("\n", audit.raw())).doesNotContain(secret, "wrong-");
  }

  @Test
  void unknownClientIdsFromOneAddressAreSlowedDownByAddress() throws Exception {
    String attacker = "203.0.113.201";
    for (int i = 0; i < 9; i++) {
      assertThat(token("nobody-" + i, "x", attacker).statusCode()).isEqualTo(401);
    }
    assertThat(token("nobody-else", "x", attacker).statusCode()).isEqualTo(429);
    assertThat(token("billing", secret, "198.51.100.10").statusCode()).isEqualTo(200);
  }

  private static String json(String username, String password) {
    return new JsonObject().put("username", username).put("password", password).encode();
  }

  private static HttpRequest loginRequest(String username, String password, String address) {
    return HttpRequest.newBuilder(gateway.http("/auth/login")).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json").header("X-Forwarded-For", address)
        .POST(HttpRequest.BodyPublishers.ofString(json(username, password))).build();
  }

  private static HttpResponse<String> login(String username, String password, String address) throws Exception {
    return gateway.send(loginRequest(username, password, address));
  }

  private static HttpResponse<String> post(String path, String body, String address) throws Exception {
    return gateway.send(HttpRequest.newBuilder(gateway.http(path)).header("Content-Type", "application/json")
        .header("X-Forwarded-For", address).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static HttpRequest tokenRequest(String clientId, String clientSecret, String address) {
    String basic = java.util.Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes());
    return HttpRequest.newBuilder(URI.create(gateway.http("/oauth2/token").toString())).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
        .header("X-Forwarded-For", address)
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
  }

  private static HttpResponse<String> token(String clientId, String clientSecret, String address) throws Exception {
    return gateway.send(tokenRequest(clientId, clientSecret, address));
  }
}
