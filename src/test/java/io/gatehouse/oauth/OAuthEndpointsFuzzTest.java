package io.gatehouse.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import io.gatehouse.support.FuzzKeys;
import io.gatehouse.support.GatehouseFixture;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the OAuth endpoints of the real server (embedded store, random ports, started once per
 * class): token, authorization (GET and POST), introspection and revocation requests with
 * arbitrary form bodies or queries, {@code Authorization} and {@code Cookie} headers, through the
 * whole pipeline, the guard, the Nimbus SDK's parsers, client authentication and the grants.
 *
 * <p>An input is a selector byte (which endpoint), then lines: the {@code Authorization} value,
 * the {@code Cookie} value (each empty for none), and the body or query. Placeholders let the
 * fuzzer get past authentication: {@code $BASIC} (a confidential client's Basic credentials),
 * {@code $SECRET} (its secret), {@code $ASSERTION} (a fresh {@code private_key_jwt} assertion of a
 * second client), {@code $SESSION} (a user's session token) and {@code $TOKEN} (an access token).
 *
 * <p>Property: never a 5xx; an OAuth answer of 400 or 401 is RFC 6749 error JSON with a code from
 * RFC 6749, 7009, 7662 or 8707 (other refusals come from the gateway's own stages, as RFC 9457
 * problems, or, for authorization requests that cannot be redirected, as the error page).
 */
@Timeout(10)
class OAuthEndpointsFuzzTest {

  private static final Set<String> ERROR_CODES = Set.of("invalid_request", "invalid_client", "invalid_grant",
      "unauthorized_client", "unsupported_grant_type", "invalid_scope", "invalid_target", "unsupported_token_type",
      "access_denied", "unsupported_response_type", "server_error", "temporarily_unavailable");
  private static final String[] PATHS = {"/oauth2/token", "/oauth2/authorize", "/oauth2/authorize", "/oauth2/introspect",
      "/oauth2/revoke"};
  private static final String PASSWORD = "correct horse battery staple";

  private static Path dir;
  private static GatehouseFixture gateway;
  private static HttpClient client;
  private static String secret;
  private static String session;
  private static String token;
  private static String audience;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("gatehouse-oauth-fuzz");
    gateway = GatehouseFixture.start(dir, """
        signup: { default_roles: [admin] }
        rate_limits:
          builtin: [{ key: ip, limit: 1000000000, per: 1m }]
          token_failures: { address: 1000000, client: 1000000 }
          login_failures: { address: 1000000, account: 1000000 }
        routes:
          - { id: svc, path: /svc/**, respond: { body: ok }, auth: [jwt], audience: "https://api.example" }
        """, Map.of());
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5)).build();
    audience = gateway.config.issuer().toString();
    send("POST", "/auth/signup", "{\"username\":\"root\",\"password\":\"" + PASSWORD + "\"}", "application/json", null, null);
    session = new JsonObject(send("POST", "/auth/login", "{\"username\":\"root\",\"password\":\"" + PASSWORD + "\"}",
        "application/json", null, null).body()).getString("session_token");
    HttpResponse<String> created = send(gateway.management("/admin/clients"), "POST",
        "{\"client_id\":\"billing\",\"scopes\":[\"svc:read\",\"svc:write\"],\"audiences\":[\"https://api.example\"],"
            + "\"redirect_uris\":[\"https://app.example/cb\"],\"grants\":[\"client_credentials\",\"authorization_code\","
            + "\"refresh_token\"]}", "application/json", "Bearer " + session, null);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    secret = new JsonObject(created.body()).getString("client_secret");
    HttpResponse<String> keyed = send(gateway.management("/admin/clients"), "POST",
        "{\"client_id\":\"keyed\",\"scopes\":[\"svc:read\"],\"jwks\":"
            + new JWKSet(FuzzKeys.CLIENT.toPublicJWK()).toString() + "}", "application/json", "Bearer " + session, null);
    assertThat(keyed.statusCode()).as(keyed.body()).isEqualTo(201);
    HttpResponse<String> issued = send("POST", "/oauth2/token", "grant_type=client_credentials&scope=svc%3Aread",
        "application/x-www-form-urlencoded", basic(), null);
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
    token = new JsonObject(issued.body()).getString("access_token");
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  private static String basic() {
    return "Basic " + Base64.getEncoder().encodeToString(("billing:" + secret).getBytes(StandardCharsets.UTF_8));
  }

  private static String assertion() {
    Instant now = Instant.now();
    return FuzzKeys.sign(FuzzKeys.CLIENT, JOSEObjectType.JWT, new JWTClaimsSet.Builder().issuer("keyed").subject("keyed")
        .audience(audience).jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(60))).build());
  }

  private static String expand(String text) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    return text.replace("$BASIC", basic()).replace("$SECRET", URLEncoder.encode(secret, StandardCharsets.UTF_8))
        .replace("$ASSERTION", assertion()).replace("$SESSION", session).replace("$TOKEN", token);
  }

  @FuzzTest
  void requests(byte[] input) throws Exception {
    if (input.length == 0) {
      return;
    }
    int endpoint = (input[0] & 0xff) % PATHS.length;
    String[] lines = new String(input, 1, input.length - 1, StandardCharsets.UTF_8).split("\n", 3);
    String authorization = lines.length > 0 && !lines[0].isEmpty() ? expand(lines[0]) : null;
    String cookie = lines.length > 1 && !lines[1].isEmpty() ? expand(lines[1]) : null;
    String payload = lines.length > 2 ? expand(lines[2]) : "";
    HttpResponse<String> response;
    try {
      response = endpoint == 1
          ? send(gateway.http(PATHS[endpoint] + "?" + payload), "GET", null, null, authorization, cookie)
          : send(gateway.http(PATHS[endpoint]), "POST", payload, "application/x-www-form-urlencoded", authorization, cookie);
    } catch (IllegalArgumentException notSendable) {
      return; // a header value or URI the HTTP client will not put on the wire
    }
    int status = response.statusCode();
    String body = response.body();
    assertThat(status).as("%s %s", PATHS[endpoint], body).isLessThan(500);
    String type = response.headers().firstValue("content-type").orElse("");
    if ((status == 400 || status == 401) && type.startsWith("application/json")) {
      JsonObject error;
      try {
        error = new JsonObject(body);
      } catch (DecodeException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
      assertThat(error.getString("error")).as(body).isIn(ERROR_CODES);
    } else if (status >= 400) {
      assertThat(type).as("%d %s", status, body).isIn("application/problem+json", "text/html; charset=utf-8");
    }
  }

  private static HttpResponse<String> send(String method, String path, String body, String type, String authorization,
      String cookie) throws Exception {
    return send(gateway.http(path), method, body, type, authorization, cookie);
  }

  private static HttpResponse<String> send(URI uri, String method, String body, String type, String authorization,
      String cookie) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(8))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      request.header("Content-Type", type);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

}
