package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.GatewayWithUpstream;
import io.gatehouse.support.TestUpstream;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The management listener (health, Prometheus metrics) and the JSON access log. */
class ObservabilityIT {

  static GatewayWithUpstream env;
  static TestUpstream upstream;
  static GatehouseFixture gateway;

  @BeforeAll
  static void start(@TempDir Path data) throws Exception {
    env = GatewayWithUpstream.start(data, """
        routes:
          - { id: echo, path: /echo/**, upstream: "${UP}", auth: [none] }
          - { id: down, path: /down, upstream: "http://127.0.0.1:1", auth: [none] }
        """, Map.of());
    upstream = env.upstream;
    gateway = env.gateway;
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  private static HttpResponse<String> management(String path) throws Exception {
    return gateway.send(HttpRequest.newBuilder(gateway.management(path)).build());
  }

  @Test
  void healthEndpoints() throws Exception {
    HttpResponse<String> live = management("/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(live.body()).getString("status")).isEqualTo("UP");
    HttpResponse<String> ready = management("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ready.body()).getJsonObject("checks").getMap()).containsEntry("listeners", "UP").containsEntry("store", "UP");
    HttpResponse<String> missing = management("/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("content-type")).hasValue("application/problem+json");
  }

  @Test
  void readinessFollowsTheDataDirectory() throws Exception {
    Path dataDir = gateway.config.store().dataDir();
    Path moved = dataDir.resolveSibling(dataDir.getFileName() + "-moved");
    java.nio.file.Files.move(dataDir, moved);
    try {
      HttpResponse<String> ready = management("/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(ready.body()).getJsonObject("checks").getString("store")).isEqualTo("DOWN");
    } finally {
      java.nio.file.Files.move(moved, dataDir);
    }
    assertThat(management("/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsByRouteAndStatusInPrometheusFormat() throws Exception {
    gateway.get("/echo/metrics");
    gateway.get("/down");
    gateway.get("/unrouted");
    String metrics = management("/metrics").body();
    assertThat(metrics)
        .contains("gatehouse_http_server_requests_seconds_bucket{route=\"echo\",status=\"200\",le=\"0.005\"}")
        .contains("gatehouse_http_server_requests_seconds_count{route=\"down\",status=\"502\"}")
        .contains("gatehouse_http_server_requests_seconds_count{route=\"none\",status=\"404\"}")
        .contains("gatehouse_upstream_errors_total{kind=\"connect\",route=\"down\"}")
        .contains("jvm_memory_used_bytes")
        .doesNotContain("/echo/metrics");
  }

  @Test
  void oneJsonAccessLineWithoutSecrets() throws Exception {
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.http("/echo/log?access_token=s3cr3t-token"))
        .header("Authorization", "Bearer s3cr3t-bearer").header("Cookie", "session=s3cr3t-cookie")
        .header("X-Request-Id", "log-test-1").build());
    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonObject> lines = gateway.accessLog.await(l -> "log-test-1".equals(l.getString("request_id")));
    assertThat(lines).hasSize(1);
    JsonObject line = lines.get(0);
    assertThat(line.getString("message")).isEqualTo("access");
    assertThat(line.getString("logger_name")).isEqualTo("gatehouse.access");
    assertThat(line.getString("method")).isEqualTo("GET");
    assertThat(line.getString("path")).isEqualTo("/echo/log");
    assertThat(line.getString("route")).isEqualTo("echo");
    assertThat(line.getInteger("status")).isEqualTo(200);
    assertThat(line.getLong("bytes")).isPositive();
    assertThat(line.getDouble("duration_ms")).isPositive();
    assertThat(line.getDouble("upstream_ms")).isPositive();
    assertThat(line.getString("ip")).isEqualTo("127.0.0.1");
    assertThat(Instant.parse(line.getString("time"))).isBetween(Instant.now().minusSeconds(60), Instant.now());
    assertThat(gateway.accessLog.raw()).doesNotContain("s3cr3t");
  }
}
