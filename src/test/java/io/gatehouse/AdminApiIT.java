package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.GatewayWithUpstream;
import io.gatehouse.support.LogCapture;
import io.gatehouse.support.TestPki;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API on the management listener: admins only, every change audited, hostile bodies refused. */
class AdminApiIT {

  static final String PASSWORD = "correct horse battery staple";

  @TempDir
  static Path dir;
  static GatewayWithUpstream env;
  static LogCapture audit;
  static String admin;

  @BeforeAll
  static void start() throws Exception {
    audit = new LogCapture("gatehouse.audit");
    env = GatewayWithUpstream.start(dir, """
        signup: { default_roles: [admin] }
        routes:
          - { id: keys, path: /api/**, upstream: "${UP}", auth: [api_key] }
        """, Map.of());
    assertThat(post("/auth/signup", "{\"username\":\"root\",\"password\":\"" + PASSWORD + "\"}", null, false).statusCode())
        .isEqualTo(201);
    admin = login("root");
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
    if (audit != null) {
      audit.close();
    }
  }

  static String login(String username) throws Exception {
    HttpResponse<String> login = post("/auth/login", "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}",
        null, false);
    assertThat(login.statusCode()).isEqualTo(200);
    return new JsonObject(login.body()).getString("session_token");
  }

  static HttpResponse<String> post(String path, String body, String token, boolean management) throws Exception {
    return send("POST", path, body, token, management);
  }

  static HttpResponse<String> send(String method, String path, String body, String token, boolean management)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(management ? env.gateway.management(path) : env.gateway.http(path))
        .timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return env.gateway.send(request.build());
  }

  static HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return send(method, path, body, admin, true);
  }

  @Test
  void onlyAnAdminGetsIn() throws Exception {
    assertThat(send("GET", "/admin/users", null, null, true).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/admin/users", null, "not-a-session-token-at-all-xxxxxxxxxxxxxxxx", true).statusCode())
        .isEqualTo(401);
    HttpResponse<String> created = admin("POST", "/admin/users",
        "{\"username\":\"plain\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"user\"]}");
    assertThat(created.statusCode()).isEqualTo(201);
    String plain = login("plain");
    assertThat(send("GET", "/admin/users", null, plain, true).statusCode()).isEqualTo(403);
    assertThat(send("POST", "/admin/apikeys", "{\"service\":\"x\"}", plain, true).statusCode()).isEqualTo(403);
    assertThat(admin("GET", "/admin/users", null).statusCode()).isEqualTo(200);
  }

  @Test
  void theIssuersOriginIsNotTheManagementListenersOwn() throws Exception {
    String body = "{\"username\":\"%s\",\"password\":\"" + PASSWORD + "\"}";
    HttpRequest.Builder forged = HttpRequest.newBuilder(env.gateway.management("/admin/users"))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
        .header("Cookie", "gh_session=" + admin).header("Origin", "https://localhost:8443")
        .POST(HttpRequest.BodyPublishers.ofString(body.formatted("forged")));
    assertThat(env.gateway.send(forged.build()).statusCode()).as("a page of the public site, with the admin's cookie")
        .isEqualTo(403);
    String own = "http://127.0.0.1:" + env.gateway.gatehouse.managementPort();
    HttpRequest.Builder mine = HttpRequest.newBuilder(env.gateway.management("/admin/users"))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
        .header("Cookie", "gh_session=" + admin).header("Origin", own)
        .POST(HttpRequest.BodyPublishers.ofString(body.formatted("samesite")));
    assertThat(env.gateway.send(mine.build()).statusCode()).as("the management listener's own origin").isEqualTo(201);
    HttpResponse<String> preflight = env.gateway.send(HttpRequest.newBuilder(env.gateway.management("/admin/users"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://localhost:8443")
        .header("Access-Control-Request-Method", "POST").build());
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).as("no cross-origin caller").isEmpty();
  }

  @Test
  void usersAreCreatedChangedDisabledAndDeleted() throws Exception {
    HttpResponse<String> created = admin("POST", "/admin/users",
        "{\"username\":\"erin\",\"password\":\"" + PASSWORD + "\",\"email\":\"erin@example.com\",\"roles\":[\"user\"]}");
    assertThat(created.statusCode()).isEqualTo(201);
    String id = new JsonObject(created.body()).getString("id");
    assertThat(admin("POST", "/admin/users", "{\"username\":\"ERIN\",\"password\":\"" + PASSWORD + "\"}").statusCode())
        .isEqualTo(409);
    JsonArray users = new JsonObject(admin("GET", "/admin/users", null).body()).getJsonArray("items");
    assertThat(users.stream().map(u -> ((JsonObject) u).getString("username"))).contains("root", "erin");
    assertThat(users.encode()).doesNotContain("argon2", "password");

    HttpResponse<String> patched = admin("PATCH", "/admin/users/" + id, "{\"roles\":[\"user\",\"editor\"]}");
    assertThat(patched.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(patched.body()).getJsonArray("roles").getList()).containsExactly("user", "editor");

    String session = login("erin");
    assertThat(send("GET", "/auth/session", null, session, false).statusCode()).isEqualTo(200);
    assertThat(admin("PATCH", "/admin/users/" + id, "{\"disabled\":true}").statusCode()).isEqualTo(200);
    assertThat(send("GET", "/auth/session", null, session, false).statusCode()).as("disabled at once").isEqualTo(401);

    assertThat(admin("DELETE", "/admin/users/" + id, null).statusCode()).isEqualTo(204);
    assertThat(admin("GET", "/admin/users/" + id, null).statusCode()).isEqualTo(404);
    assertThat(admin("DELETE", "/admin/users/" + id, null).statusCode()).isEqualTo(404);
    assertThat(admin("PATCH", "/admin/users/nobody", "{\"disabled\":true}").statusCode()).isEqualTo(404);
    assertThat(String.join("\n", audit.raw())).contains("admin.user.create", "admin.user.update", "admin.user.delete")
        .contains("by=").doesNotContain(PASSWORD).doesNotContain(admin);
  }

  @Test
  void apiKeysAndSessionsAreListedAndRevoked() throws Exception {
    HttpResponse<String> created = admin("POST", "/admin/apikeys",
        "{\"service\":\"billing\",\"scopes\":[\"books:read\"],\"expires_in\":3600}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonObject key = new JsonObject(created.body());
    String plaintext = key.getString("key");
    assertThat(plaintext).startsWith("gh_" + key.getString("id") + "_");
    assertThat(env.gateway.get("/api/x", "X-Api-Key", plaintext).statusCode()).isEqualTo(200);
    assertThat(admin("GET", "/admin/apikeys", null).body()).contains(key.getString("id")).doesNotContain(plaintext);
    assertThat(admin("DELETE", "/admin/apikeys/" + key.getString("id"), null).statusCode()).isEqualTo(204);
    assertThat(env.gateway.get("/api/x", "X-Api-Key", plaintext).statusCode()).isEqualTo(401);
    assertThat(admin("DELETE", "/admin/apikeys/000000000000", null).statusCode()).isEqualTo(404);

    admin("POST", "/admin/users", "{\"username\":\"sam\",\"password\":\"" + PASSWORD + "\"}");
    String first = login("sam");
    String second = login("sam");
    String samId = new JsonObject(send("GET", "/auth/session", null, first, false).body()).getJsonObject("user").getString("id");
    JsonArray sessions = new JsonObject(admin("GET", "/admin/sessions?user_id=" + samId, null).body()).getJsonArray("items");
    assertThat(sessions).hasSize(2);
    assertThat(sessions.encode()).doesNotContain(first).doesNotContain(second);
    String newest = sessions.getJsonObject(0).getString("id");
    assertThat(admin("DELETE", "/admin/sessions/" + newest, null).statusCode()).isEqualTo(204);
    assertThat(send("GET", "/auth/session", null, second, false).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/auth/session", null, first, false).statusCode()).isEqualTo(200);
    assertThat(admin("GET", "/admin/sessions", null).statusCode()).isEqualTo(400);
  }

  @Test
  void overTlsAnAllowListedClientCertificateIsAnAdmin(@TempDir Path data) throws Exception {
    TestPki pki = new TestPki("ca");
    Path ca = pki.writeCa(data);
    TestPki.Issued ops = pki.client("ops", null);
    TestPki.Issued other = pki.client("someone", null);
    String yaml = """
        server:
          http: { host: 127.0.0.1, port: 0 }
          https: { host: 127.0.0.1, port: 0, client_ca: "%s" }
        management: { host: 127.0.0.1, port: 0, tls: true, admin_certificates: { subjects: ["CN=ops"] } }
        store: { embedded: { path: "${DATA}" } }
        """.formatted(ca);
    try (GatehouseFixture gateway = GatehouseFixture.startRaw(data, yaml, Map.of())) {
      java.security.cert.Certificate server = java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(
              java.nio.file.Files.readAllBytes(data.resolve("tls/self-signed-cert.pem"))));
      java.net.URI users = java.net.URI.create("https://localhost:" + gateway.gatehouse.managementPort() + "/admin/users");
      for (TestPki.Issued client : new TestPki.Issued[] {ops, other, null}) {
        java.net.http.HttpClient https = java.net.http.HttpClient.newBuilder()
            .sslContext(TestPki.context(server, client)).build();
        int status = https.send(HttpRequest.newBuilder(users).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        assertThat(status).as(client == null ? "no certificate" : client.certificate().getSubjectX500Principal().getName())
            .isEqualTo(client == ops ? 200 : 401);
      }
    }
  }

  private static List<String> signing(JsonArray keys) {
    return keys.stream().map(JsonObject.class::cast).filter(k -> k.getBoolean("signing")).map(k -> k.getString("kid"))
        .toList();
  }

  @Test
  void signingKeysAreListedAndRotatedInProcess() throws Exception {
    JsonArray before = new JsonObject(admin("GET", "/admin/keys", null).body()).getJsonArray("items");
    assertThat(before).as("a current and a next key for ES256 and for RS256").hasSize(4);
    List<String> signing = signing(before);
    assertThat(signing).hasSize(2);
    HttpResponse<String> rotated = admin("POST", "/admin/keys/rotate", null);
    assertThat(rotated.statusCode()).isEqualTo(200);
    JsonArray after = new JsonObject(rotated.body()).getJsonArray("items");
    assertThat(after).hasSize(6);
    assertThat(signing(after)).hasSize(2).doesNotContainAnyElementsOf(signing);
    assertThat(env.gateway.get("/oauth2/jwks").body()).contains(signing);
    assertThat(String.join("\n", audit.raw())).contains("admin.keys.rotate");
    assertThat(send("POST", "/admin/keys/rotate", null, null, true).statusCode()).isEqualTo(401);
  }

  @Test
  void hostileBodiesGetAClear4xxAndChangeNothing() throws Exception {
    String before = admin("GET", "/admin/users", null).body();
    for (String body : new String[] {"[]", "{", "{\"username\":1,\"password\":\"x\"}", "{\"username\":\"ok\"}",
        "{\"username\":\"ok2\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"ADMIN!\"]}",
        "{\"username\":\"ok3\",\"password\":\"" + PASSWORD + "\",\"roles\":\"admin\"}"}) {
      HttpResponse<String> response = admin("POST", "/admin/users", body);
      assertThat(response.statusCode()).as(body).isBetween(400, 499);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
    assertThat(admin("POST", "/admin/apikeys", "{\"user_id\":\"u\",\"service\":\"s\"}").statusCode()).isEqualTo(400);
    assertThat(admin("POST", "/admin/apikeys", "{\"user_id\":\"nobody\"}").statusCode()).isEqualTo(400);
    assertThat(admin("POST", "/admin/apikeys", "{\"service\":\"x y\"}").statusCode()).isEqualTo(400);
    assertThat(admin("POST", "/admin/apikeys", "{\"service\":\"x\",\"expires_in\":-5}").statusCode())
        .isEqualTo(400);
    assertThat(admin("PATCH", "/admin/users/x", "{\"disabled\":\"yes\"}").statusCode()).isEqualTo(400);
    HttpResponse<String> notJson = env.gateway.send(HttpRequest.newBuilder(env.gateway.management("/admin/users"))
        .header("Authorization", "Bearer " + admin).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("username=x")).build());
    assertThat(notJson.statusCode()).isEqualTo(415);
    assertThat(admin("GET", "/admin/users", null).body()).isEqualTo(before);
  }
}
