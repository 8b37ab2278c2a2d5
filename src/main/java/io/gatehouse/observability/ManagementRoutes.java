package io.gatehouse.observability;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.Map;

/**
 * The management endpoints: {@code GET /health/live} (the process answers), {@code GET
 * /health/ready} (200 only when every {@link Readiness} check passes, else 503) and {@code GET
 * /metrics} (Prometheus text format).
 */
public final class ManagementRoutes {

  private final Readiness readiness;
  private final PrometheusMeterRegistry registry;

  public ManagementRoutes(Readiness readiness, PrometheusMeterRegistry registry) {
    this.readiness = readiness;
    this.registry = registry;
  }

  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(new JsonObject().put("status", "UP").toBuffer()));
    // Checks may touch the file system or a store, so they run on a worker thread.
    router.get("/health/ready").handler(ctx -> ctx.vertx().executeBlocking(readiness::evaluate).onComplete(result -> {
      Map<String, Boolean> checks = result.succeeded() ? result.result() : Map.of();
      boolean up = !checks.isEmpty() && !checks.containsValue(false);
      JsonObject details = new JsonObject();
      checks.forEach((name, ok) -> details.put(name, ok ? "UP" : "DOWN"));
      ctx.response().setStatusCode(up ? 200 : 503)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .end(new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", details).toBuffer());
    }));
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape()));
  }
}
