package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.GatewayWithUpstream;
import io.gatehouse.support.RawHttp;
import io.gatehouse.support.TestUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CORS from config: exact allow-list, no reflection of other origins, preflights answered by the gateway. */
class CorsIT {

  static GatewayWithUpstream env;
  static TestUpstream upstream;
  static GatehouseFixture gateway;

  @BeforeAll
  static void start(@TempDir Path data) throws Exception {
    env = GatewayWithUpstream.start(data, """
        cors: { allowed_origins: ["https://app.example.com"], allow_credentials: true, allowed_headers: [Authorization, Content-Type] }
        routes:
          - { id: api, path: /api/**, upstream: "${UP}", auth: [none] }
        """, Map.of());
    upstream = env.upstream;
    gateway = env.gateway;
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  private static String preflight(String origin, String method, String headers) throws Exception {
    return RawHttp.exchange(gateway.gatehouse.httpPort(), "OPTIONS /api/x HTTP/1.1\r\nHost: gw\r\nConnection: close\r\nOrigin: " + origin
        + "\r\nAccess-Control-Request-Method: " + method + "\r\n" + (headers == null ? "" : "Access-Control-Request-Headers: " + headers + "\r\n") + "\r\n");
  }

  @Test
  void allowedOriginIsEchoedExactly() throws Exception {
    HttpResponse<String> response = gateway.get("/api/x", "Origin", "https://app.example.com");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
    assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(response.headers().allValues("Vary")).contains("Origin");
  }

  @Test
  void otherOriginsAreNeverReflected() throws Exception {
    for (String origin : new String[] {"https://evil.example", "https://app.example.com.evil.example", "null", "https://APP.example.com"}) {
      HttpResponse<String> response = gateway.get("/api/x", "Origin", origin);
      assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).as(origin).isEmpty();
      assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).as(origin).isEmpty();
    }
  }

  @Test
  void preflightsAreAnsweredHereAndNeverSentUpstream() throws Exception {
    int before = upstream.requests.get();
    String allowed = preflight("https://app.example.com", "PUT", "authorization, content-type");
    assertThat(RawHttp.status(allowed)).isEqualTo(204);
    assertThat(allowed).containsIgnoringCase("Access-Control-Allow-Origin: https://app.example.com")
        .containsIgnoringCase("Access-Control-Allow-Methods: GET, HEAD, POST, PUT, PATCH, DELETE")
        .containsIgnoringCase("Access-Control-Max-Age: 600");
    assertThat(RawHttp.status(preflight("https://evil.example", "GET", null))).isEqualTo(403);
    assertThat(RawHttp.status(preflight("https://app.example.com", "TRACE", null))).isEqualTo(403);
    assertThat(RawHttp.status(preflight("https://app.example.com", "GET", "x-custom-secret"))).isEqualTo(403);
    assertThat(upstream.requests.get()).isEqualTo(before);
  }

  @Test
  void sameOriginRequestsAreNotCors() throws Exception {
    String response = RawHttp.exchange(gateway.gatehouse.httpPort(), "GET /api/x HTTP/1.1\r\nHost: gw.example\r\nConnection: close\r\nOrigin: http://gw.example\r\n\r\n");
    assertThat(RawHttp.status(response)).isEqualTo(200);
    assertThat(response).doesNotContainIgnoringCase("Access-Control-Allow-Origin");
  }
}
