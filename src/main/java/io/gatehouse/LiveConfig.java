package io.gatehouse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.Config;
import io.gatehouse.config.ConfigChanges;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigSource;
import io.gatehouse.http.AdminPolicy;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Json;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Response;
import io.gatehouse.observability.AuditEvent;
import io.gatehouse.observability.AuditLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration a running Gatehouse applies, and its reloads: the file is loaded and validated
 * whole, checked for changes that need a restart ({@link ConfigChanges}), and built into new
 * pipelines (and TLS contexts, token issuers) off the event loops; only when all of that succeeded
 * is it swapped in, at once. On any error nothing changes, and the errors (file:line) are answered,
 * logged, audited and counted. Requests in flight finish with the config they began with; each new
 * request runs the one current when it begins, never a mix. Reloads run one at a time, in the order
 * asked. The active config's digest and load time are shown in {@code /health/ready}, in the
 * metric {@code gatehouse_config_loaded_timestamp_seconds} (tagged with the digest) and in the audit
 * event of each reload. Thread-safe.
 */
final class LiveConfig {

  private static final Logger LOG = LoggerFactory.getLogger(LiveConfig.class);

  /**
   * Builds what a config makes, ready to swap in; fails with the reason when it cannot (a
   * certificate that does not load, a key file that cannot be read). Called off the event loops.
   */
  @FunctionalInterface
  interface Builder {
    /** @return the swap, run once everything is built; it must not fail */
    Runnable build(Config next) throws Exception;
  }

  /** The outcome of one reload: applied (or unchanged), or refused with its errors. */
  record Outcome(boolean applied, boolean changed, String digest, Instant loadedAt, List<String> errors) {
  }

  private record Active(Config config, String digest, Instant loadedAt) {
  }

  private final ConfigSource source;
  private final Vertx vertx;
  private final Builder builder;
  private final AuditLog audit;
  private final Clock clock;
  private final MeterRegistry registry;
  private final Counter applied;
  private final Counter failed;
  private volatile Active active;
  private Gauge loadedGauge;
  private Future<Outcome> last = Future.succeededFuture();
  private long watchedStamp; // guarded by this

  LiveConfig(ConfigSource source, ConfigSource.Loaded initial, Vertx vertx, Builder builder, AuditLog audit, Clock clock,
      MeterRegistry registry) {
    this.source = source;
    this.vertx = vertx;
    this.builder = builder;
    this.audit = audit;
    this.clock = clock;
    this.registry = registry;
    this.applied = Counter.builder("gatehouse_config_reloads").tag("outcome", "applied")
        .description("Configuration reloads").register(registry);
    this.failed = Counter.builder("gatehouse_config_reloads").tag("outcome", "failed")
        .description("Configuration reloads").register(registry);
    activate(new Active(initial.config(), initial.digest(), clock.instant()));
    this.watchedStamp = FileStamp.of(source.file());
  }

  /** The config applied now. */
  Config config() {
    return active.config();
  }

  /** For {@code /health/ready}: the active config's digest and when it was loaded. */
  String state() {
    Active now = active;
    return "digest " + now.digest() + ", loaded " + now.loadedAt();
  }

  /**
   * Loads the source again and applies it, after any reload under way.
   *
   * @param trigger what asked (signal, api, watch), for the log and the audit
   */
  synchronized Future<Outcome> reload(String trigger) {
    Future<Outcome> next = last.transform(previous -> vertx.executeBlocking(() -> apply(trigger), false));
    last = next;
    return next;
  }

  /**
   * With {@code reload.watch}: reloads when the config file changed since it was last looked at.
   * Call it periodically, off the event loops (it reads the file's attributes).
   */
  synchronized void reloadIfChanged() {
    long stamp = FileStamp.of(source.file());
    if (stamp != watchedStamp) {
      watchedStamp = stamp;
      reload("watch");
    }
  }

  private Outcome apply(String trigger) {
    ConfigSource.Loaded loaded;
    try {
      loaded = source.load();
    } catch (ConfigException e) {
      return refused(trigger, e.problems());
    }
    Active current = active;
    if (loaded.digest().equals(current.digest())) {
      return new Outcome(true, false, current.digest(), current.loadedAt(), List.of());
    }
    List<String> restart = ConfigChanges.notLive(current.config(), loaded.config());
    if (!restart.isEmpty()) {
      return refused(trigger, restart.stream().map(key -> key + ": cannot change while running; restart to apply")
          .toList());
    }
    Runnable swap;
    try {
      swap = builder.build(loaded.config());
    } catch (Exception e) {
      return refused(trigger, List.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
    swap.run();
    Active now = new Active(loaded.config(), loaded.digest(), clock.instant());
    activate(now);
    applied.increment();
    LOG.info("configuration reloaded ({}): digest {}", trigger, now.digest());
    audit.record(new AuditEvent(now.loadedAt(), "config.reload", "success", null, null, null,
        "trigger=" + trigger + " digest=" + now.digest()));
    return new Outcome(true, true, now.digest(), now.loadedAt(), List.of());
  }

  private Outcome refused(String trigger, List<String> errors) {
    failed.increment();
    LOG.error("configuration not reloaded ({}), the running one stays: {}", trigger, String.join("; ", errors));
    audit.record(new AuditEvent(clock.instant(), "config.reload", "failure", null, null, null,
        "trigger=" + trigger + " errors=" + errors.size()));
    Active current = active;
    return new Outcome(false, false, current.digest(), current.loadedAt(), errors);
  }

  private synchronized void activate(Active now) {
    active = now;
    if (loadedGauge != null) {
      registry.remove(loadedGauge);
    }
    double seconds = now.loadedAt().toEpochMilli() / 1000.0;
    loadedGauge = Gauge.builder("gatehouse_config_loaded_timestamp_seconds", () -> seconds)
        .tag("digest", now.digest())
        .description("When the active configuration was loaded, tagged with its digest")
        .register(registry);
  }

  /**
   * {@code POST /admin/config/reload} on the management listener, for admins: 200 with the digest
   * and load time of the config now active ({@code changed} false when the file was the same), or
   * 400 {@code config-rejected} with every error while the running config stays.
   */
  Endpoint endpoint(AdminPolicy admin) {
    Function<io.gatehouse.http.Request, Future<Response>> handler = request -> reload("api").compose(outcome -> {
      if (!outcome.applied()) {
        return Future.failedFuture(new ProblemException(new Problem(400, "config-rejected", "Bad Request",
            "The configuration was not applied; the running one stays.", Map.of("errors", outcome.errors()))));
      }
      admin.changed(request, "config.reload", null, "digest=" + outcome.digest());
      ObjectNode body = Json.object()
          .put("digest", outcome.digest())
          .put("loaded_at", outcome.loadedAt().toString())
          .put("changed", outcome.changed());
      return Future.succeededFuture(Response.json(200, body));
    });
    return admin.endpoint("admin:config-reload", "/admin/config/reload").on(HttpMethod.POST, handler::apply).build();
  }
}
