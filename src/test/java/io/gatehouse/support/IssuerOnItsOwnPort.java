package io.gatehouse.support;

import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Gatehouse whose {@code issuer} is the URL it listens on (plain HTTP on a free port), as OAuth
 * client libraries require for discovery, with an admin signed in and one client registered:
 * the pair the interoperability tests need.
 */
public final class IssuerOnItsOwnPort implements AutoCloseable {

  public static final String PASSWORD = "correct horse battery staple";

  public final GatehouseFixture gateway;
  public final String issuer;
  public final String session;
  public final String clientSecret;

  private IssuerOnItsOwnPort(GatehouseFixture gateway, String issuer, String session, String clientSecret) {
    this.gateway = gateway;
    this.issuer = issuer;
    this.session = session;
    this.clientSecret = clientSecret;
  }

  /** @param client the JSON of {@code POST /admin/clients} */
  public static IssuerOnItsOwnPort start(Path dir, String username, String client) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String issuer = "http://127.0.0.1:" + port;
    GatehouseFixture gateway = GatehouseFixture.startRaw(dir, """
        issuer: "%s"
        server:
          http: { host: 127.0.0.1, port: %d }
          https: { enabled: false }
        management: { host: 127.0.0.1, port: 0 }
        store: { embedded: { path: "${DATA}" } }
        signup: { default_roles: [admin] }
        """.formatted(issuer, port), Map.of());
    try {
      String credentials = "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}";
      gateway.send(json(issuer + "/auth/signup", credentials, null));
      String session = new JsonObject(gateway.send(json(issuer + "/auth/login", credentials, null)).body())
          .getString("session_token");
      HttpResponse<String> created = gateway.send(json(gateway.management("/admin/clients").toString(), client, session));
      if (created.statusCode() != 201) {
        throw new IllegalStateException("client not registered: " + created.body());
      }
      return new IssuerOnItsOwnPort(gateway, issuer, session, new JsonObject(created.body()).getString("client_secret"));
    } catch (Exception e) {
      gateway.close();
      throw e;
    }
  }

  private static HttpRequest json(String url, String body, String bearer) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return request.build();
  }

  @Override
  public void close() {
    gateway.close();
  }
}
