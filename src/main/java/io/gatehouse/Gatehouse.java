package io.gatehouse;

import io.gatehouse.config.Config;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.gateway.Endpoint;
import io.gatehouse.http.FailureHandler;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.ProblemRenderer;
import io.gatehouse.http.RequestIdHandler;
import io.gatehouse.http.SecurityHeaders;
import io.gatehouse.http.SecurityHeadersHandler;
import io.gatehouse.http.SelfSignedCertificate;
import io.gatehouse.http.TrustedProxies;
import io.gatehouse.identity.AccountServices;
import io.gatehouse.observability.AccessLog;
import io.gatehouse.observability.ManagementRoutes;
import io.gatehouse.observability.Readiness;
import io.gatehouse.observability.RequestMetrics;
import io.gatehouse.store.EmbeddedStore;
import io.gatehouse.store.Storage;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component from {@link Config} with plain constructors and
 * starts the listeners. Nothing else in the code base wires components together.
 */
public final class Gatehouse {

  private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);
  private static final Duration SESSION_SWEEP = Duration.ofMinutes(10);

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final Storage storage;
  private final int httpPort;
  private final int httpsPort;
  private final int managementPort;

  private Gatehouse(Vertx vertx, PrometheusMeterRegistry registry, Storage storage, int httpPort, int httpsPort,
      int managementPort) {
    this.storage = storage;
    this.vertx = vertx;
    this.registry = registry;
    this.httpPort = httpPort;
    this.httpsPort = httpsPort;
    this.managementPort = managementPort;
  }

  /** Starts with one event loop per core. */
  public static Future<Gatehouse> start(Config config) {
    return start(config, Runtime.getRuntime().availableProcessors(), Clock.systemUTC());
  }

  public static Future<Gatehouse> start(Config config, int eventLoops) {
    return start(config, eventLoops, Clock.systemUTC());
  }

  /** @param clock the time every expiry is judged by (tests pass a fake one) */
  public static Future<Gatehouse> start(Config config, int eventLoops, Clock clock) {
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setEventLoopPoolSize(eventLoops).setPreferNativeTransport(true))
        .build();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ClassLoaderMetrics(),
        new ProcessorMetrics(), new UptimeMetrics()).forEach(binder -> binder.bindTo(registry));

    SecurityHeaders headers = new SecurityHeaders(config.server().https().hstsMaxAge().toSeconds());
    ProblemRenderer renderer = new ProblemRenderer(headers);
    TrustedProxies trustedProxies = new TrustedProxies(config.server().trustedProxies());
    AccessLog accessLog = new AccessLog();
    RequestMetrics metrics = new RequestMetrics(registry);
    Readiness readiness = new Readiness();
    InvalidRequestHandler invalidRequests = new InvalidRequestHandler(headers, renderer, accessLog, metrics);
    List<GatewayVerticle> gateways = new CopyOnWriteArrayList<>();
    AtomicReference<Storage> storage = new AtomicReference<>(); // set once opened, so a failed start can close it

    Future<Gatehouse> started = vertx.executeBlocking(() -> {
          SelfSignedCertificate.Files tls = prepareDataDirectory(config);
          EmbeddedStore store = EmbeddedStore.open(vertx, config.store().dataDir());
          storage.set(store);
          return new Prepared(tls, store, AccountServices.create(vertx, store, config, clock));
        })
        .compose(prepared -> {
          List<Endpoint> endpoints = prepared.accounts().endpoints(config);
          Pipeline pipeline = new Pipeline(config, headers, renderer, trustedProxies, accessLog, metrics, endpoints,
              prepared.accounts().callers());
          // Up while the data directory is there and writable and the database answers.
          Path dataDir = config.store().dataDir();
          readiness.register("store", () -> Files.isDirectory(dataDir) && Files.isWritable(dataDir)
              && prepared.store().isUp());
          // Expired sessions are refused on sight; the sweep only keeps the table small.
          vertx.setPeriodic(SESSION_SWEEP.toMillis(), id -> prepared.accounts().sessions().sweep());
          return vertx.deployVerticle(() -> {
            GatewayVerticle gateway = new GatewayVerticle(config, pipeline, invalidRequests, renderer, trustedProxies,
                metrics, prepared.tls(), eventLoops > 1, endpoints);
            gateways.add(gateway);
            return gateway;
          }, new DeploymentOptions().setInstances(eventLoops));
        })
        .compose(deployed -> {
          // Registered only once every listener is bound, and the management listener starts after them.
          readiness.register("listeners", () -> true);
          return management(vertx, config.management().listener(), readiness, registry, headers, renderer, trustedProxies);
        })
        .map(management -> new Gatehouse(vertx, registry, storage.get(), gateways.get(0).httpPort(),
            gateways.get(0).httpsPort(), management == null ? -1 : management.actualPort()));
    return started
        .onSuccess(g -> LOG.info("gatehouse started: http={} https={} management={}", g.httpPort, g.httpsPort, g.managementPort))
        .recover(failure -> vertx.close().andThen(closed -> closeQuietly(storage.get()))
            .transform(closed -> Future.failedFuture(failure)));
  }

  private record Prepared(SelfSignedCertificate.Files tls, Storage store, AccountServices accounts) {
  }

  private static void closeQuietly(Storage storage) {
    if (storage == null) {
      return;
    }
    try {
      storage.close();
    } catch (RuntimeException e) {
      LOG.warn("closing the store failed", e);
    }
  }


  /** Creates the data directory (owner-only) and returns the TLS files, generating a self-signed pair if none is configured. */
  private static SelfSignedCertificate.Files prepareDataDirectory(Config config) {
    Path dir = config.store().dataDir();
    try {
      if (!Files.isDirectory(dir)) {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(dir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dir, e);
    }
    var https = config.server().https();
    if (!https.enabled()) {
      return null;
    }
    return https.cert() != null ? new SelfSignedCertificate.Files(https.cert(), https.key()) : SelfSignedCertificate.ensure(dir);
  }

  private static Future<HttpServer> management(Vertx vertx, ListenerConfig listener, Readiness readiness,
      PrometheusMeterRegistry registry, SecurityHeaders headers, ProblemRenderer renderer, TrustedProxies trustedProxies) {
    if (!listener.enabled()) {
      return Future.succeededFuture();
    }
    Router router = Router.router(vertx);
    router.route().handler(new RequestIdHandler(trustedProxies)).handler(new SecurityHeadersHandler(headers));
    new ManagementRoutes(readiness, registry).mount(router);
    router.route().handler(ctx -> ctx.fail(new ProblemException(Problem.NOT_FOUND)));
    router.route().failureHandler(new FailureHandler(renderer));
    return vertx.createHttpServer().requestHandler(router).listen(listener.port(), listener.host());
  }

  /** True when no account exists yet, so the operator should be told how to create the first admin. */
  public Future<Boolean> hasNoUsers() {
    return storage.users().count().map(count -> count == 0);
  }

  public int httpPort() {
    return httpPort;
  }

  public int httpsPort() {
    return httpsPort;
  }

  public int managementPort() {
    return managementPort;
  }

  /** Stops the listeners, then closes the store (every acknowledged write is already durable). */
  public Future<Void> close() {
    return vertx.close().andThen(done -> {
      closeQuietly(storage);
      registry.close();
    });
  }
}
