package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.GatewayWithUpstream;
import io.gatehouse.support.RawHttp;
import io.gatehouse.support.TestUpstream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Paths crafted to reach a closed route through an open one. Each must either be refused (400)
 * or land on exactly the route its normalised path names, and the upstream must receive that
 * normalised path.
 */
class PathSafetyIT {

  static GatewayWithUpstream env;
  static TestUpstream upstream;
  static GatehouseFixture gateway;

  @BeforeAll
  static void start(@TempDir Path data) throws Exception {
    env = GatewayWithUpstream.start(data, """
        routes:
          - { id: public, path: /public/**, upstream: "${UP}", auth: [none] }
          - { id: admin, path: /admin/**, upstream: "${UP}" }
          - { id: user, path: "/api/users/{id}", upstream: "${UP}", auth: [session] }
          - { id: api, path: /api/**, upstream: "${UP}", auth: [none] }
        """, Map.of());
    upstream = env.upstream;
    gateway = env.gateway;
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  private static String get(String rawPath) throws Exception {
    return RawHttp.exchange(gateway.gatehouse.httpPort(), "GET " + rawPath + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/public/..%2fadmin", "/public/..%2Fadmin/x", "/admin;x=1", "/public;/../admin", "/public/x;jsessionid=1",
      "/public/a%5cb", "/public/a\\..\\..\\admin", "/public/a%00", "/public/%zz", "/public/%2", "/..", "/public/../../admin",
      "/public/%0d%0aX-Injected:%201", "/public/%2e%2e/admin", "/public/%2E%2E/admin/x", "/public/.%2e/admin",
      "/public/%ef%bc%8e%ef%bc%8e/admin", "/public/%c0%ae%c0%ae/admin", "/public/%e2%80%a4%e2%80%a4/admin",
      "/public/x%3b/../../admin", "/public/%ff", "/public/%ed%a0%80", "/public/%ef%bd%81dmin"})
  void refusesAmbiguousPaths(String path) throws Exception {
    int before = upstream.requests.get();
    String response = get(path);
    assertThat(RawHttp.status(response)).as(path).isEqualTo(400);
    assertThat(response).contains("application/problem+json").contains("urn:gatehouse:problem:");
    assertThat(upstream.requests.get()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"//admin", "/public/../admin", "/public/./../admin/", "///admin//x", "/admin/", "/admin/.",
      "/admin/x/", "/admin/x/."})
  void dotSegmentsAndSlashesResolveToTheRouteTheyName(String path) throws Exception {
    int before = upstream.requests.get();
    String response = get(path);
    assertThat(RawHttp.status(response)).as(path).isEqualTo(401);
    assertThat(upstream.requests.get()).isEqualTo(before);
  }

  @Test
  void upstreamReceivesExactlyTheNormalisedPath() throws Exception {
    String response = get("/public/./a//b/%7e/c/../d?q=%2e%2e");
    assertThat(RawHttp.status(response)).isEqualTo(200);
    assertThat(response).contains("\"uri\":\"/public/a/b/~/d?q=%2e%2e\"");
    assertThat(get("/public/caf%c3%a9")).contains("\"uri\":\"/public/caf%C3%A9\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/users/42", "/api/users/42/", "/api/users/42/.", "/api/users//42/", "/api/users/42//"})
  void aTrailingSlashOrDotNeverFallsThroughToALessProtectedRoute(String path) throws Exception {
    int before = upstream.requests.get();
    assertThat(RawHttp.status(get(path))).as(path).isEqualTo(401);
    assertThat(upstream.requests.get()).isEqualTo(before);
    assertThat(RawHttp.status(get("/api/users"))).as("the open route still answers its own paths").isEqualTo(200);
  }
}
