package io.gatehouse;

import io.gatehouse.config.Config;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigSource;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.http.ChildSpans;
import io.gatehouse.guard.IssuerKeys;
import io.gatehouse.guard.issuer.TokenIssuers;
import io.gatehouse.http.server.ConnectionsPerAddress;
import io.gatehouse.http.server.Drain;
import io.gatehouse.http.server.Listener;
import io.gatehouse.http.server.SelfSignedCertificate;
import io.gatehouse.http.server.TlsContexts;
import io.gatehouse.http.server.Transports;
import io.gatehouse.identity.AccountServices;
import io.gatehouse.keys.MasterKey;
import io.gatehouse.keys.SigningKeys;
import io.gatehouse.identity.Sessions;
import io.gatehouse.oauth.GrantRevocations;
import io.gatehouse.oauth.TokenRevocations;
import io.gatehouse.observability.AccessLog;
import io.gatehouse.observability.EventLoopLag;
import io.gatehouse.observability.Tracing;
import io.gatehouse.observability.Readiness;
import io.gatehouse.store.RedisConnection;
import io.gatehouse.store.RedisInvalidations;
import io.gatehouse.store.Storage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component from {@link Config} with plain constructors and
 * starts the listeners, with {@link Components} (what is built once per start) and
 * {@link LivePipelines} (what a reload builds again and swaps) beside it in this package. Nothing
 * else in the code base wires components together.
 */
public final class Gatehouse {

  private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);
  private static final Duration SESSION_SWEEP = Duration.ofMinutes(10);
  private static final Duration RATE_LIMIT_SWEEP = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final Storage storage;
  private final AccessLog accessLog;
  private final List<Listener> listeners;
  private final int httpPort;
  private final int httpsPort;
  private final int managementPort;
  private final LiveConfig config;
  private final Tracing tracing;
  private final Drain drain;
  private final Shared shared;
  private final AtomicReference<Future<Void>> closed = new AtomicReference<>();

  /** @param listeners the public listeners, then the management listener, if any */
  private Gatehouse(Vertx vertx, PrometheusMeterRegistry registry, Storage storage, AccessLog accessLog,
      Tracing tracing, List<Listener> listeners, int httpPort, int httpsPort, int managementPort, LiveConfig config,
      Drain drain, Shared shared) {
    this.tracing = tracing;
    this.vertx = vertx;
    this.registry = registry;
    this.storage = storage;
    this.accessLog = accessLog;
    this.listeners = List.copyOf(listeners);
    this.httpPort = httpPort;
    this.httpsPort = httpsPort;
    this.managementPort = managementPort;
    this.config = config;
    this.drain = drain;
    this.shared = shared;
  }

  /** Starts with one event loop per core, the system clock, and the access log on stdout. */
  public static Future<Gatehouse> start(Config config) {
    return start(config, Runtime.getRuntime().availableProcessors(), Clock.systemUTC(), System.out);
  }

  public static Future<Gatehouse> start(Config config, int eventLoops, Clock clock) {
    return start(config, eventLoops, clock, System.out);
  }

  /**
   * @param clock the time every expiry is judged by (tests pass a fake one)
   * @param accessLogOut where access-log lines go
   */
  public static Future<Gatehouse> start(Config config, int eventLoops, Clock clock, OutputStream accessLogOut) {
    return start(config, eventLoops, clock, accessLogOut, null);
  }

  /**
   * @param spans where recorded spans go instead of {@code tracing.export}'s receiver, which turns
   *     recording on (tests read them from the SDK's in-memory exporter); null to follow the config
   */
  public static Future<Gatehouse> start(Config config, int eventLoops, Clock clock, OutputStream accessLogOut,
      SpanProcessor spans) {
    ConfigSource source = ConfigSource.of(config);
    try {
      return start(source, source.load(), eventLoops, clock, accessLogOut, spans);
    } catch (ConfigException e) {
      throw new IllegalStateException("a given config loads as it is", e);
    }
  }

  /**
   * Starts with {@code initial}, loaded from {@code source}, which each reload reads again.
   *
   * @param clock the time every expiry is judged by (tests pass a fake one)
   * @param accessLogOut where access-log lines go
   */
  public static Future<Gatehouse> start(ConfigSource source, ConfigSource.Loaded initial, int eventLoops, Clock clock,
      OutputStream accessLogOut) {
    return start(source, initial, eventLoops, clock, accessLogOut, null);
  }

  private static Future<Gatehouse> start(ConfigSource source, ConfigSource.Loaded initial, int eventLoops,
      Clock clock, OutputStream accessLogOut, SpanProcessor spans) {
    Config config = initial.config();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Tracing tracing = spans != null ? Tracing.with(config.tracing(), spans) : Tracing.start(config.tracing(), registry);
    ChildSpans childSpans = new ChildSpans(tracing.tracer());
    Transport transport;
    try {
      transport = Transports.choose(config.server().transport());
    } catch (IllegalStateException e) {
      return Future.failedFuture(e);
    }
    VertxInternal vertx = (VertxInternal) Vertx.builder()
        .with(new VertxOptions().setEventLoopPoolSize(eventLoops))
        .withTransport(transport)
        .build();
    List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ClassLoaderMetrics(),
        new ProcessorMetrics(), new UptimeMetrics()).forEach(binder -> binder.bindTo(registry));
    Gauge.builder("gatehouse_transport_info", () -> 1).tag("transport", transport.name().toLowerCase(Locale.ROOT))
        .description("The network transport the listeners and upstream connections run on").register(registry);
    EventLoopLag.watch(vertx.nettyEventLoopGroup(), registry);
    AccessLog accessLog = AccessLog.ifEnabled(accessLogOut, registry);
    AtomicReference<Storage> storage = new AtomicReference<>(); // set once opened, so a failed start can close it
    List<Listener> listeners = new ArrayList<>();

    if (config.store().postgres() != null && config.store().redis() == null) {
      LOG.warn("store.postgres without store.redis: fine for one instance; several would each count rate limits "
          + "and failed logins on their own, and learn of a revoked token or a new signing key only when they "
          + "next read them (revocations at start, keys at their check, at least hourly)");
    }
    // Redis first, when configured: what the instances share in memory is announced through it.
    Future<Shared> shared = config.store().redis() == null ? Future.succeededFuture(Shared.NONE)
        : RedisConnection.open(vertx, config.store().redis(), registry)
            .compose(redis -> RedisInvalidations.start(vertx, redis)
                .map(invalidations -> new Shared(redis, invalidations)));
    Future<Gatehouse> started = shared.compose(sharing -> vertx.executeBlocking(() -> {
          Tls tls = prepareTls(config);
          Storage store = Storage.open(vertx, config, sharing.redis(), clock, childSpans);
          storage.set(store);
          MasterKey masterKey = MasterKey.load(System.getenv(), config.store().dataDir(), !config.store().isShared());
          SigningKeys signingKeys = new SigningKeys(store.signingKeys(), masterKey, config.tokens(),
              clock, () -> sharing.announce(Shared.KEYS, "changed"));
          TokenRevocations revocations = new TokenRevocations(config.issuer().toString(), store.revocations(), clock,
              config.tokens().accessTtl(), sharing);
          TokenIssuers tokens = TokenIssuers.start(vertx, config.issuer().toString(),
              IssuerKeys.of(signingKeys::published), config.issuers(), revocations, clock, registry, childSpans);
          return new Prepared(tls, store, AccountServices.create(vertx,
          new AccountServices.Stores(store.users(), store.sessions(), store.apiKeys(), store.audit(),
              store.secondFactors(), store.pendingSignIns()), config, clock,
          sharing,
              new GrantRevocations(store.refreshTokens(), revocations, clock), masterKey), signingKeys, revocations, tokens,
              sharing.redis());
        }))
        .compose(prepared -> prepared.signingKeys().maintain()
            .compose(keysReady -> prepared.revocations().load())
            .map(loaded -> {
              shared.result().listen(prepared);
              return prepared;
            }))
        .compose(prepared -> {
          Components c = new Components(config, vertx, registry, accessLog, tracing, childSpans, prepared);
          Readiness readiness = new Readiness();
          LivePipelines live = new LivePipelines(c, readiness, registry, prepared, clock);
          Drain drain = new Drain(vertx, config.shutdown());
          // Up while the database answers (and, embedded, its data directory is there and writable).
          Path dataDir = config.store().dataDir();
          readiness.register("store", () -> (config.store().isShared()
              || Files.isDirectory(dataDir) && Files.isWritable(dataDir)) && prepared.store().isUp());
          if (prepared.redis() != null) {
            readiness.register("redis", prepared.redis()::isUp, prepared.redis().probe()::details);
          }
          // Shown, not required: an issuer that is down must not take every instance out of the balancer.
          live.informIssuers(prepared.tokens());
          // Hand-overs, new next keys and deletions of expired ones happen on schedule.
          vertx.setPeriodic(keyMaintenanceEvery(config).toMillis(), id -> prepared.signingKeys().maintain()
              .onFailure(e -> LOG.error("signing key maintenance failed", e)));
          // Revoked tokens, refresh tokens, codes and ceremonies' challenges leave their tables once they would have
          // expired anyway.
          vertx.setPeriodic(Duration.ofHours(1).toMillis(), id -> {
            prepared.revocations().sweep();
            c.refreshTokens.sweep();
            c.codes.sweep();
            c.accounts.pendingSignIns().sweep();
            prepared.store().spentAssertions().deleteExpired(clock.instant());
            prepared.store().webAuthnChallenges().deleteExpired(clock.instant());
          });
          // What the CLI changed is not announced: the accounts' cut-offs are read again every half second.
          vertx.setPeriodic(TokenRevocations.CUT_OFF_POLL_MILLIS, id -> prepared.revocations().reloadCutOffs()
              .onFailure(e -> LOG.debug("cut-offs not read again", e)));
          // Keys whose windows have passed are forgotten; a walk over every key, so off the event loops.
          vertx.setPeriodic(RATE_LIMIT_SWEEP.toMillis(), id -> vertx.executeBlocking(() -> {
            c.localLimiter.sweep();
            c.loginThrottle.sweep();
            c.clientAuthenticator.sweep();
            return null;
          }, false));
          // Expired sessions are refused on sight; the sweep only keeps the table small.
          vertx.setPeriodic(SESSION_SWEEP.toMillis(), id -> prepared.accounts().sessions().sweep());
          LiveConfig liveConfig = new LiveConfig(source, initial, vertx, live::build, c.accounts.audit(), clock,
              registry);
          readiness.inform("config", liveConfig::state);
          try {
            live.start(liveConfig);
          } catch (Exception e) {
            return Future.failedFuture(e);
          }
          // Renewed certificates, and with reload.watch the config file, are noticed by looking.
          vertx.setPeriodic(config.reload().interval().toMillis(), id -> vertx.executeBlocking(() -> {
            live.renewTlsIfChanged();
            if (liveConfig.config().reload().watch()) {
              liveConfig.reloadIfChanged();
            }
            return null;
          }, false));
          var server = config.server();
          // One count for both public listeners: a host's connections are its connections, whichever port.
          ConnectionsPerAddress connections = new ConnectionsPerAddress(server.limits().maxConnectionsPerAddress(),
              live.trustedProxies(), registry);
          Future<Listener> http = server.http().enabled()
              ? Listener.bind(vertx, server.http().host(), server.http().port(), null, live.gateway::get,
                  server.limits(), connections)
              : Future.succeededFuture();
          Future<Listener> https = server.https().enabled()
              ? Listener.bind(vertx, server.https().host(), server.https().port(), live.tls::get, live.gateway::get,
                  server.limits(), connections)
              : Future.succeededFuture();
          return Future.all(http, https).compose(bound -> {
            addIfBound(listeners, http.result());
            addIfBound(listeners, https.result());
            // Registered only once every public listener is bound; the management listener starts after them.
            readiness.register("listeners", () -> !drain.begun());
            ListenerConfig management = config.management().listener();
            Future<Listener> managed = management.enabled()
                ? Listener.bind(vertx, management.host(), management.port(),
                    config.management().tls() ? live.tls::get : null, live.management::get, server.limits(), null)
                : Future.succeededFuture();
            return managed.map(m -> {
              addIfBound(listeners, m);
              return new Gatehouse(vertx, registry, prepared.store(), accessLog, tracing, listeners,
                  port(http.result()), port(https.result()), port(m), liveConfig, drain, shared.result());
            });
          });
        });
    // Not bound to a context of this Vert.x: after a failed start its event loops are gone, and a
    // future bound to one of them would never tell its caller.
    Promise<Gatehouse> result = Promise.promise();
    started.onComplete(outcome -> {
      if (outcome.succeeded()) {
        Gatehouse g = outcome.result();
        LOG.info("gatehouse started: http={} https={} management={} transport={} tls={}", g.httpPort, g.httpsPort,
            g.managementPort, transport.name(), TlsContexts.providerName());
        result.complete(g);
        return;
      }
      // Off the event loops, since they are what is being stopped.
      Thread stopping = new Thread(() -> {
        try {
          vertx.close().await();
        } catch (RuntimeException e) {
          LOG.warn("stopping after a failed start failed", e);
        }
        if (accessLog != null) {
          accessLog.close();
        }
        tracing.close();
        closeQuietly(storage.get());
        result.fail(outcome.cause());
      }, "gatehouse-failed-start");
      stopping.start();
    });
    return result.future();
  }

  /** Often enough that a hand-over happens within a tenth of a rotation period, at most hourly. */
  private static Duration keyMaintenanceEvery(Config config) {
    Duration tenth = config.tokens().rotateEvery().dividedBy(10);
    Duration hour = Duration.ofHours(1);
    return tenth.compareTo(hour) < 0 ? tenth : hour;
  }

  private static void addIfBound(List<Listener> listeners, Listener listener) {
    if (listener != null) {
      listeners.add(listener);
    }
  }

  private static int port(Listener listener) {
    return listener == null ? -1 : listener.port();
  }

  record Tls(SslContext context) {
  }

  /** @param redis the shared counters' server, or null */
  record Prepared(Tls tls, Storage store, AccountServices accounts, SigningKeys signingKeys,
      TokenRevocations revocations, TokenIssuers tokens, RedisConnection redis) {
  }

  /**
   * What the instances share through Redis, when configured: the connection, and the
   * announcements of what one instance changed that every instance holds in memory.
   */
  private record Shared(RedisConnection redis, RedisInvalidations invalidations)
      implements Sessions.Changes, TokenRevocations.Announcer {
    static final Shared NONE = new Shared(null, null);
    static final String REVOKED = "revoked";
    static final String CUT_OFF = "cut-off";
    static final String KEYS = "keys";
    static final String SESSION_ENDED = "session-ended";
    static final String USER_CHANGED = "user-changed";

    @Override
    public void sessionEnded(String tokenHash) {
      announce(SESSION_ENDED, tokenHash);
    }

    @Override
    public void userChanged(String userId) {
      announce(USER_CHANGED, userId);
    }

    @Override
    public void revoked(String id, Instant expiresAt) {
      announce(REVOKED, id + " " + expiresAt.toEpochMilli());
    }

    @Override
    public void cutOff(String subject, Instant notBefore) {
      announce(CUT_OFF, notBefore.toEpochMilli() + " " + subject);
    }

    void announce(String topic, String payload) {
      if (invalidations != null) {
        invalidations.publish(topic, payload);
      }
    }

    /** Stops listening for announcements and lets the connection to Redis go. */
    void close() {
      if (invalidations != null) {
        invalidations.close();
      }
      if (redis != null) {
        redis.close();
      }
    }

    /** Applies other instances' announcements, and reads everything again after missing some. */
    void listen(Prepared prepared) {
      if (invalidations == null) {
        return;
      }
      invalidations.on(REVOKED, payload -> {
        String[] parts = payload.split(" ");
        prepared.revocations().learn(parts[0], Instant.ofEpochMilli(Long.parseLong(parts[1])));
      });
      invalidations.on(CUT_OFF, payload -> {
        int space = payload.indexOf(' ');
        prepared.revocations().learnCutOff(payload.substring(space + 1),
            Instant.ofEpochMilli(Long.parseLong(payload.substring(0, space))));
      });
      invalidations.on(SESSION_ENDED, prepared.accounts().sessions()::endedElsewhere);
      invalidations.on(USER_CHANGED, prepared.accounts().sessions()::userChangedElsewhere);
      invalidations.on(KEYS, payload -> prepared.signingKeys().maintain()
          .onFailure(e -> LOG.error("signing keys not read again after a rotation elsewhere", e)));
      invalidations.onResync(() -> {
        prepared.revocations().load().onFailure(e -> LOG.error("revocations not read again", e));
        prepared.signingKeys().maintain().onFailure(e -> LOG.error("signing keys not read again", e));
      });
    }
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

  /**
   * Creates the data directory (owner-only) and the HTTPS context, generating a self-signed
   * certificate if none is configured. Blocking.
   */
  private static Tls prepareTls(Config config) {
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
      return new Tls(null);
    }
    SelfSignedCertificate.Files files = https.cert() != null
        ? new SelfSignedCertificate.Files(https.cert(), https.key()) : SelfSignedCertificate.ensure(dir);
    return new Tls(TlsContexts.server(files.cert(), files.key(), https.clientCa(), true));
  }

  /**
   * Loads the config source again and applies it (see {@link LiveConfig}), after any reload under way.
   *
   * @param trigger what asked, for the log and the audit: {@code signal}, {@code api}, {@code watch}
   * @return the errors that kept it from being applied (file:line), empty when it was (or was unchanged)
   */
  public Future<List<String>> reload(String trigger) {
    return config.reload(trigger).map(LiveConfig.Outcome::errors);
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

  /**
   * Shuts down gracefully, as on SIGTERM ({@link Drain}): {@code /health/ready} answers 503 at
   * once, the listeners keep accepting for {@code shutdown.delay}, then stop, and the requests in
   * flight have up to {@code shutdown.timeout} to finish (HTTP/1.1 connections close after their
   * response, HTTP/2 ones get GOAWAY, WebSockets a Close 1001); then as {@link #close()}. Later
   * calls get the same future; {@link #close()} meanwhile ends the wait at once.
   */
  public Future<Void> drain() {
    List<Listener> front = listeners.subList(0, managementPort < 0 ? listeners.size() : listeners.size() - 1);
    List<Listener> back = listeners.subList(front.size(), listeners.size());
    return drain.run(front, back).transform(drained -> close());
  }

  /**
   * Stops now: a drain under way stops waiting; the listeners and the event loops stop, cutting
   * the connections still open; Redis is let go, the last access-log lines are written, the spans
   * still queued are sent, and the store is closed. Later calls get the same future.
   */
  public Future<Void> close() {
    drain.force();
    Promise<Void> closing = Promise.promise();
    if (!closed.compareAndSet(null, closing.future())) {
      return closed.get();
    }
    Future.all(listeners.stream().map(Listener::close).toList())
        .andThen(done -> shared.close())
        .transform(done -> vertx.close())
        .andThen(done -> {
          if (accessLog != null) {
            accessLog.close();
          }
          tracing.close();
          closeQuietly(storage);
          registry.close();
        })
        .onComplete(closing);
    return closing.future();
  }
}
