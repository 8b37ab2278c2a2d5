package io.gatehouse.observability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.AuthKind;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Json;
import io.gatehouse.http.Response;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The management listener's endpoints: {@code GET /health/live} (the process answers),
 * {@code GET /health/ready} (200 only when every {@link Readiness} check passes, else 503; with
 * each check's result, the notices, and under {@code details} what explains them) and
 * {@code GET /metrics} (Prometheus text format). Open, like the listener's default address
 * (127.0.0.1); the admin API will declare its own credentials.
 */
public final class ManagementEndpoints {

  private ManagementEndpoints() {
  }

  public static List<Endpoint> all(Vertx vertx, Readiness readiness, PrometheusMeterRegistry registry) {
    Endpoint live = Endpoint.at("management:live", "/health/live").auth(AuthKind.NONE)
        .on(HttpMethod.GET, request -> io.vertx.core.Future.succeededFuture(
            Response.json(200, Json.object().put("status", "UP"))))
        .build();
    // Checks may touch the file system or a store, so they run on a worker thread.
    Endpoint ready = Endpoint.at("management:ready", "/health/ready").auth(AuthKind.NONE)
        .on(HttpMethod.GET, request -> vertx.executeBlocking(readiness::evaluate, false).map(checks -> {
          boolean up = !checks.isEmpty() && !checks.containsValue(false);
          ObjectNode body = Json.object().put("status", up ? "UP" : "DOWN");
          ObjectNode results = body.putObject("checks");
          for (Map.Entry<String, Boolean> check : checks.entrySet()) {
            results.put(check.getKey(), check.getValue() ? "UP" : "DOWN");
          }
          readiness.notices().forEach(body.putObject("notices")::put);
          Map<String, Map<String, String>> details = readiness.details();
          if (!details.isEmpty()) {
            ObjectNode explained = body.putObject("details");
            details.forEach((name, fields) -> fields.forEach(explained.putObject(name)::put));
          }
          return Response.json(up ? 200 : 503, body);
        }))
        .build();
    Endpoint metrics = Endpoint.at("management:metrics", "/metrics").auth(AuthKind.NONE)
        .on(HttpMethod.GET, request -> vertx.executeBlocking(registry::scrape, false).map(text -> Response.status(200)
            .header(HttpHeaderNames.CACHE_CONTROL, "no-store")
            .body(text.getBytes(StandardCharsets.UTF_8), "text/plain; version=0.0.4; charset=utf-8").build()))
        .build();
    return List.of(live, ready, metrics);
  }
}
