package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.GatewayExtension;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The token endpoint's client × grant matrix (RFC 6749 §4, §5.2): each kind of client (a
 * confidential service client, a public client, the built-in first-party client, a wrong secret,
 * an unknown client, none at all) with each grant type, and the one answer each must get; and the
 * same clients at the introspection (RFC 7662: confidential clients only) and revocation (RFC 7009:
 * public clients too) endpoints, whose clients the guard authenticates as it does the token
 * endpoint's.
 */
class TokenEndpointMatrixIT {

  static final String CALLBACK = "http://127.0.0.1:9999/cb";

  @RegisterExtension
  static final GatewayExtension ENV = GatewayExtension.of("signup: { default_roles: [admin] }\n");
  static GatehouseFixture gateway;
  static String secret;

  @BeforeAll
  static void register() throws Exception {
    gateway = ENV.gateway();
    String credentials = "{\"username\":\"root\",\"password\":\"correct horse battery staple\"}";
    send("/auth/signup", credentials, "application/json", null);
    String admin = new JsonObject(send("/auth/login", credentials, "application/json", null).body())
        .getString("session_token");
    secret = new JsonObject(gateway.send(HttpRequest.newBuilder(gateway.management("/admin/clients"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)
        .POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"svc\",\"scopes\":[\"svc:read\"]}")).build())
        .body()).getString("client_secret");
    assertThat(gateway.send(HttpRequest.newBuilder(gateway.management("/admin/clients"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)
        .POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"spa\",\"public\":true,\"grants\":"
            + "[\"authorization_code\",\"refresh_token\"],\"redirect_uris\":[\"" + CALLBACK + "\"]}")).build())
        .statusCode()).isEqualTo(201);
  }

  static HttpResponse<String> send(String path, String body, String type, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(gateway.http(path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return gateway.send(request.build());
  }

  /** How a row's client presents itself: a Basic header, or form fields. */
  enum Caller {
    SERVICE, WRONG_SECRET, PUBLIC, BUILT_IN, UNKNOWN, NONE;

    String authorization() {
      return switch (this) {
        case SERVICE -> basic("svc", secret);
        case WRONG_SECRET -> basic("svc", "not-the-secret");
        default -> null;
      };
    }

    String form() {
      return switch (this) {
        case PUBLIC -> "&client_id=spa";
        case BUILT_IN -> "&client_id=gatehouse";
        case UNKNOWN -> "&client_id=nobody";
        default -> "";
      };
    }
  }

  static String basic(String id, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((id + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static Stream<Arguments> matrix() {
    String code = "grant_type=authorization_code&code=made-up&redirect_uri="
        + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8) + "&code_verifier=" + "v".repeat(43);
    String refresh = "grant_type=refresh_token&refresh_token=made-up";
    String credentials = "grant_type=client_credentials";
    String password = "grant_type=password&username=a&password=b";
    return Stream.of(
        Arguments.of(Caller.SERVICE, credentials, 200, null),
        Arguments.of(Caller.SERVICE, code, 400, "unauthorized_client"),
        Arguments.of(Caller.SERVICE, refresh, 400, "unauthorized_client"),
        Arguments.of(Caller.SERVICE, password, 400, "unsupported_grant_type"),
        Arguments.of(Caller.WRONG_SECRET, credentials, 401, "invalid_client"),
        Arguments.of(Caller.WRONG_SECRET, refresh, 401, "invalid_client"),
        // client_credentials needs client authentication (RFC 6749 §4.4.2): a public client has none to give.
        Arguments.of(Caller.PUBLIC, credentials, 401, "invalid_client"),
        Arguments.of(Caller.PUBLIC, code, 400, "invalid_grant"),
        Arguments.of(Caller.PUBLIC, refresh, 400, "invalid_grant"),
        Arguments.of(Caller.BUILT_IN, credentials, 401, "invalid_client"),
        Arguments.of(Caller.BUILT_IN, code, 400, "unauthorized_client"),
        Arguments.of(Caller.BUILT_IN, refresh, 400, "invalid_grant"),
        Arguments.of(Caller.UNKNOWN, code, 401, "invalid_client"),
        Arguments.of(Caller.UNKNOWN, refresh, 401, "invalid_client"),
        Arguments.of(Caller.NONE, credentials, 401, "invalid_client"),
        Arguments.of(Caller.NONE, refresh, 401, "invalid_client"),
        // The guard authenticates the client before the endpoint reads the grant, as Spring Authorization
        // Server and Keycloak do: a caller that proves no client learns nothing about the grants.
        Arguments.of(Caller.NONE, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code", 401,
            "invalid_client"),
        Arguments.of(Caller.SERVICE, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code", 400,
            "unsupported_grant_type"));
  }

  static Stream<Arguments> otherEndpoints() {
    return Stream.of(
        Arguments.of("/oauth2/introspect", Caller.SERVICE, 200, null),
        Arguments.of("/oauth2/introspect", Caller.WRONG_SECRET, 401, "invalid_client"),
        Arguments.of("/oauth2/introspect", Caller.PUBLIC, 401, "invalid_client"),
        Arguments.of("/oauth2/introspect", Caller.BUILT_IN, 401, "invalid_client"),
        Arguments.of("/oauth2/introspect", Caller.NONE, 401, "invalid_client"),
        Arguments.of("/oauth2/revoke", Caller.SERVICE, 200, null),
        Arguments.of("/oauth2/revoke", Caller.WRONG_SECRET, 401, "invalid_client"),
        Arguments.of("/oauth2/revoke", Caller.PUBLIC, 200, null),
        Arguments.of("/oauth2/revoke", Caller.BUILT_IN, 200, null),
        Arguments.of("/oauth2/revoke", Caller.UNKNOWN, 401, "invalid_client"),
        Arguments.of("/oauth2/revoke", Caller.NONE, 401, "invalid_client"));
  }

  @ParameterizedTest(name = "{1} at {0}")
  @MethodSource("otherEndpoints")
  void admitsClientsAt(String path, Caller caller, int status, String error) throws Exception {
    HttpResponse<String> response = send(path, "token=made-up" + caller.form(), "application/x-www-form-urlencoded",
        caller.authorization());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    if (error != null) {
      assertThat(new JsonObject(response.body()).getString("error")).isEqualTo(error);
      assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"gatehouse\"");
    }
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("matrix")
  void answers(Caller caller, String grant, int status, String error) throws Exception {
    HttpResponse<String> response = send("/oauth2/token", grant + caller.form(), "application/x-www-form-urlencoded",
        caller.authorization());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    if (error != null) {
      assertThat(new JsonObject(response.body()).getString("error")).isEqualTo(error);
    }
  }
}
