package io.gatehouse;

import io.gatehouse.config.AuthKind;
import io.gatehouse.config.Config;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigSource;
import io.gatehouse.config.CorsConfig;
import io.gatehouse.config.HttpsConfig;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.gateway.RouteAssembly;
import io.gatehouse.gateway.RouteTable;
import io.gatehouse.gateway.Routing;
import io.gatehouse.gateway.UpstreamConnector;
import io.gatehouse.http.ChildSpans;
import io.gatehouse.http.ServerSpans;
import io.gatehouse.identity.ApiKeyAuthenticator;
import io.gatehouse.guard.CsrfCheck;
import io.gatehouse.guard.Guards;
import io.gatehouse.guard.IdentityTokens;
import io.gatehouse.guard.IssuerKeys;
import io.gatehouse.guard.JwtVerifier;
import io.gatehouse.guard.ProtectedResources;
import io.gatehouse.guard.issuer.TokenIssuers;
import io.gatehouse.identity.SessionAuthenticator;
import io.gatehouse.http.server.ConnectionsPerAddress;
import io.gatehouse.http.server.Drain;
import io.gatehouse.http.Cors;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.ExchangeObserver;
import io.gatehouse.http.server.Listener;
import io.gatehouse.http.Origins;
import io.gatehouse.http.Pipeline;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.ProblemRenderer;
import io.gatehouse.http.RequestIdStage;
import io.gatehouse.http.RequestLimits;
import io.gatehouse.http.Route;
import io.gatehouse.http.SecurityHeaders;
import io.gatehouse.http.server.SelfSignedCertificate;
import io.gatehouse.http.server.TlsContexts;
import io.gatehouse.http.server.Transports;
import io.gatehouse.http.TrustedProxies;
import io.gatehouse.identity.web.AccountFailures;
import io.gatehouse.identity.web.AccountEndpoints;
import io.gatehouse.identity.AccountServices;
import io.gatehouse.identity.Callers;
import io.gatehouse.identity.web.AdminAccess;
import io.gatehouse.identity.KnownAddresses;
import io.gatehouse.identity.LoginThrottle;
import io.gatehouse.keys.JwksEndpoint;
import io.gatehouse.keys.KeyAdminEndpoints;
import io.gatehouse.keys.MasterKey;
import io.gatehouse.keys.SigningKeys;
import io.gatehouse.identity.SecretTokens;
import io.gatehouse.identity.Sessions;
import io.gatehouse.oauth.AccessTokens;
import io.gatehouse.oauth.AuthorizationCodes;
import io.gatehouse.oauth.web.AuthorizationEndpoint;
import io.gatehouse.oauth.web.ClientAdminEndpoints;
import io.gatehouse.oauth.web.ConsentEndpoints;
import io.gatehouse.oauth.FirstPartyClient;
import io.gatehouse.oauth.GrantRevocations;
import io.gatehouse.oauth.IdTokens;
import io.gatehouse.oauth.RefreshTokens;
import io.gatehouse.oauth.web.IntrospectionEndpoint;
import io.gatehouse.oauth.web.LogoutEndpoint;
import io.gatehouse.oauth.web.RevocationEndpoint;
import io.gatehouse.oauth.TokenRevocations;
import io.gatehouse.oauth.web.UserInfoEndpoint;
import io.gatehouse.oauth.web.ClientAuthenticator;
import io.gatehouse.oauth.ClientIdTakenException;
import io.gatehouse.oauth.Clients;
import io.gatehouse.oauth.web.OAuthErrors;
import io.gatehouse.oauth.web.ServerMetadata;
import io.gatehouse.oauth.web.TokenEndpoint;
import io.gatehouse.observability.AccessLog;
import io.gatehouse.observability.EventLoopLag;
import io.gatehouse.observability.Tracing;
import io.gatehouse.ratelimit.FailureCounter;
import io.gatehouse.ratelimit.FailureThrottle;
import io.gatehouse.ratelimit.LocalRateLimiter;
import io.gatehouse.ratelimit.RateLimiter;
import io.gatehouse.store.RedisFailureCounter;
import io.gatehouse.store.RedisRateLimiter;
import io.gatehouse.ratelimit.RateLimitStage;
import io.gatehouse.observability.ManagementEndpoints;
import io.gatehouse.observability.Readiness;
import io.gatehouse.observability.RequestMetrics;
import io.gatehouse.store.RedisConnection;
import io.gatehouse.store.RedisInvalidations;
import io.gatehouse.store.RedisKnownAddresses;
import io.gatehouse.store.RedisPipeline;
import io.gatehouse.store.Storage;
import io.gatehouse.store.StoreUnavailable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutor;
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
import java.util.Map;
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
  private static final Duration RATE_LIMIT_SWEEP = Duration.ofSeconds(30);
  private static final Problem CLIENT_ID_TAKEN = new Problem(409, "client-id-taken", "Conflict",
      "This client id is taken.");

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
    Tracing tracing = spans != null ? Tracing.with(config.tracing(), spans) : Tracing.start(config.tracing());
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
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
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
          SigningKeys signingKeys = new SigningKeys(store.signingKeys(),
              MasterKey.load(System.getenv(), config.store().dataDir(), !config.store().isShared()), config.tokens(),
              clock, () -> sharing.announce(Shared.KEYS, "changed"));
          TokenRevocations revocations = new TokenRevocations(config.issuer().toString(), store.revocations(), clock,
              config.tokens().accessTtl(), sharing);
          TokenIssuers tokens = TokenIssuers.start(vertx, config.issuer().toString(),
              IssuerKeys.of(signingKeys::published), config.issuers(), revocations, clock, registry, childSpans);
          return new Prepared(tls, store, AccountServices.create(vertx,
          new AccountServices.Stores(store.users(), store.sessions(), store.apiKeys(), store.audit()), config, clock,
          sharing,
              new GrantRevocations(store.refreshTokens(), revocations, clock)), signingKeys, revocations, tokens,
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
          Live live = new Live(c, readiness, registry, prepared, clock);
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
          // Revoked tokens, refresh tokens and codes leave their tables once they would have expired anyway.
          vertx.setPeriodic(Duration.ofHours(1).toMillis(), id -> {
            prepared.revocations().sweep();
            c.refreshTokens.sweep();
            c.codes.sweep();
            prepared.store().spentAssertions().deleteExpired(clock.instant());
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

  /** Health, metrics and the admin API. */
  private static List<Endpoint> managementEndpoints(Config config, VertxInternal vertx, Readiness readiness,
      MeterRegistry registry, AccountServices accounts, Clients clients, SigningKeys signingKeys, LiveConfig live) {
    List<Endpoint> endpoints = new ArrayList<>(ManagementEndpoints.all(vertx, readiness,
        (PrometheusMeterRegistry) registry));
    AccountEndpoints web = new AccountEndpoints(accounts);
    AdminAccess admin = web.adminAccess(config.management(), clients::isFirstParty);
    endpoints.addAll(web.adminEndpoints(admin));
    endpoints.addAll(new ClientAdminEndpoints(clients, admin).endpoints());
    endpoints.addAll(new KeyAdminEndpoints(signingKeys, admin).endpoints());
    endpoints.add(live.endpoint(admin));
    return endpoints;
  }

  /**
   * What a reload swaps, each read by the listeners as a connection is accepted (the TLS context)
   * or a request begins (the pipelines): so an open connection keeps its certificate, a request in
   * flight its pipeline, and every new one gets the current of each. Built from a config off the
   * event loops ({@link #build}), swapped in one step.
   */
  private static final class Live {
    private static final Logger LOG = LoggerFactory.getLogger(Live.class);

    final AtomicReference<Pipeline> gateway = new AtomicReference<>();
    final AtomicReference<Pipeline> management = new AtomicReference<>();
    final AtomicReference<SslContext> tls = new AtomicReference<>();
    private final Components components;
    private final Readiness readiness;
    private final MeterRegistry registry;
    private final Prepared prepared;
    private final Clock clock;
    private final Counter tlsRenewed;
    private final Counter tlsRefused;
    private volatile Components.Assembly assembly;
    private volatile long tlsStamp;
    private LiveConfig config;

    Live(Components components, Readiness readiness, MeterRegistry registry, Prepared prepared, Clock clock) {
      this.components = components;
      this.readiness = readiness;
      this.registry = registry;
      this.prepared = prepared;
      this.clock = clock;
      this.tlsRenewed = Counter.builder("gatehouse_tls_reloads").tag("outcome", "applied")
          .description("TLS certificates read again after their files changed").register(registry);
      this.tlsRefused = Counter.builder("gatehouse_tls_reloads").tag("outcome", "failed")
          .description("TLS certificates read again after their files changed").register(registry);
    }

    /** Builds and applies the config {@code live} starts with; its reload endpoint is on the management listener. */
    void start(LiveConfig live) throws Exception {
      this.config = live;
      this.tls.set(prepared.tls().context());
      build(live.config()).run();
    }

    TrustedProxies trustedProxies() {
      return assembly.trustedProxies();
    }

    /**
     * Everything {@code next} makes (token issuers when they changed, the TLS context when a
     * certificate is configured, the pipelines), and the swap that puts it in place. Blocking.
     *
     * @throws Exception when a part cannot be built (a certificate or key file that does not load)
     */
    Runnable build(Config next) throws Exception {
      Components.Assembly current = assembly;
      HttpsConfig https = next.server().https();
      SslContext context = current != null && https.enabled() && https.cert() != null
          ? TlsContexts.server(https.cert(), https.key(), https.clientCa(), true) : null;
      TokenIssuers issuers = current == null ? prepared.tokens()
          : current.config().issuers().equals(next.issuers()) ? current.tokens()
          : TokenIssuers.start(components.vertx, next.issuer().toString(),
              IssuerKeys.of(prepared.signingKeys()::published), next.issuers(), prepared.revocations(), clock,
              registry, components.childSpans);
      Components.Assembly built;
      Pipeline gatewayPipeline;
      Pipeline managementPipeline;
      try {
        built = components.assemble(next, issuers);
        gatewayPipeline = built.gatewayPipeline(readiness);
        managementPipeline = built.managementPipeline(managementEndpoints(next, components.vertx, readiness,
            registry, components.accounts, components.clients, prepared.signingKeys(), config));
      } catch (RuntimeException e) {
        if (current != null && issuers != current.tokens()) {
          issuers.stop(); // started for a config that is not applied
        }
        throw e;
      }
      long stamp = stamp(https);
      return () -> {
        assembly = built;
        gateway.set(gatewayPipeline);
        management.set(managementPipeline);
        if (context != null) {
          tls.set(context);
        }
        tlsStamp = stamp;
        components.accounts.sessions().reconfigure(next.sessions());
        components.accounts.cookies().reconfigure(next.sessions());
        if (current != null && issuers != current.tokens()) {
          current.tokens().remote().keySet().forEach(name -> readiness.withdraw("issuer:" + name));
          informIssuers(issuers);
          current.tokens().stop();
        }
      };
    }

    /** Shows each fetched issuer's key state in {@code /health/ready}. */
    void informIssuers(TokenIssuers issuers) {
      issuers.remote().forEach((name, keys) -> readiness.inform("issuer:" + name, keys::state, keys::details));
    }

    /**
     * Reads the configured certificate, key and client CA again when their files changed (a renewal),
     * for the connections accepted from then on; a certificate that does not load keeps the old one,
     * says why, and counts. Blocking.
     */
    synchronized void renewTlsIfChanged() {
      HttpsConfig https = assembly.config().server().https();
      long stamp = stamp(https);
      if (!https.enabled() || https.cert() == null || stamp == tlsStamp) {
        return;
      }
      tlsStamp = stamp;
      try {
        tls.set(TlsContexts.server(https.cert(), https.key(), https.clientCa(), true));
        tlsRenewed.increment();
        LOG.info("TLS certificate read again after its files changed: {}", https.cert());
      } catch (RuntimeException e) {
        tlsRefused.increment();
        LOG.error("TLS certificate files changed but do not load; the old certificate stays: {}", e.getMessage());
      }
    }

    /** The certificate files' modification times and sizes in one number; 0 without configured files. */
    private static long stamp(HttpsConfig https) {
      long stamp = 0;
      for (Path file : new Path[] {https.cert(), https.key(), https.clientCa()}) {
        if (file != null) {
          try {
            stamp = stamp * 31 + Files.getLastModifiedTime(file).toMillis() * 17 + Files.size(file);
          } catch (IOException e) {
            stamp = stamp * 31 - 1; // gone for now (mid-renewal): looked at again next time
          }
        }
      }
      return stamp;
    }
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

  private record Tls(SslContext context) {
  }

  /** @param redis the shared counters' server, or null */
  private record Prepared(Tls tls, Storage store, AccountServices accounts, SigningKeys signingKeys,
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

  /** The components the pipelines are made of, built once per start. */
  private static final class Components {
    private final VertxInternal vertx;
    private final RequestMetrics metrics;
    private final AccessLog accessLog;
    /** The exchanges' spans, or null when tracing export is off. */
    private final ServerSpans serverSpans;
    private final ChildSpans childSpans;
    private final ProblemRenderer problems = new ProblemRenderer();
    private final Origins origins;
    private final AccountServices accounts;
    private final SigningKeys signingKeys;
    private final Storage storage;
    private final TokenRevocations revocations;
    private final AccessTokens accessTokens;
    private final RefreshTokens refreshTokens;
    private final AuthorizationCodes codes;
    private final Clock clock;
    private final LocalRateLimiter localLimiter;
    private final RateLimitStage.Factory limitStages;
    private final LoginThrottle loginThrottle;
    private final Clients clients;
    private final ClientAuthenticator clientAuthenticator;

    /**
     * @param config the config at start: what it says of the parts built here (the issuer, the
     *     store, the token settings, the failure throttles) cannot change while running
     */
    Components(Config config, VertxInternal vertx, PrometheusMeterRegistry registry, AccessLog accessLog,
        Tracing tracing, ChildSpans childSpans, Prepared prepared) {
      this.vertx = vertx;
      this.metrics = new RequestMetrics(registry);
      this.accessLog = accessLog;
      this.serverSpans = tracing.tracer() == null ? null : new ServerSpans(tracing.tracer());
      this.childSpans = childSpans;
      this.origins = new Origins(config.issuer());
      this.accounts = prepared.accounts();
      this.signingKeys = prepared.signingKeys();
      this.storage = prepared.store();
      this.revocations = prepared.revocations();
      this.clock = accounts.clock();
      this.localLimiter = new LocalRateLimiter(clock, config.rateLimits().maxKeys(), registry);
      RedisConnection redis = prepared.redis();
      RateLimiter limiter = redis == null ? localLimiter : new RedisRateLimiter(
          new RedisPipeline(redis::connect, childSpans), redis.prefix(), null, config.rateLimits().failOpen(),
          registry);
      this.limitStages = new RateLimitStage.Factory(limiter, accounts.audit(), clock);
      // Failures counted where the limits are: in Redis when the instances share it, else here;
      // the login throttle's steps pipelined on one connection of their own.
      int maxKeys = config.rateLimits().maxKeys();
      RedisPipeline throttling = redis == null ? null : new RedisPipeline(redis::connect, childSpans);
      FailureCounter.Factory failures = redis == null
          ? FailureThrottle.factory(clock, maxKeys)
          : RedisFailureCounter.factory(throttling, redis.prefix(), null);
      this.clients = new Clients(storage.clients(), new SecretTokens(), clock, config.issuer(),
          config.tokens().signingAlgorithms(), storage.spentAssertions());
      this.clientAuthenticator = new ClientAuthenticator(clients, config.issuer(), accounts.audit(), clock, failures,
          config.rateLimits().token().address(), config.rateLimits().token().identity());
      this.loginThrottle = new LoginThrottle(failures, redis == null ? KnownAddresses.inMemory(maxKeys)
              : new RedisKnownAddresses(throttling, redis.prefix()),
          config.rateLimits().login().address(), config.rateLimits().login().identity());
      this.accessTokens = new AccessTokens(config.issuer().toString(), signingKeys::signing,
          config.tokens().accessTtl(), revocations, clock);
      this.refreshTokens = new RefreshTokens(storage.refreshTokens(), accounts.users(), accessTokens, revocations,
          new SecretTokens(), config.defaultAudience(), config.tokens().refreshTtl(), clock);
      this.codes = new AuthorizationCodes(storage.authorizationCodes(), accounts.users(), refreshTokens, revocations,
          new SecretTokens(),
          new IdTokens(config.issuer().toString(), signingKeys::signing, config.tokens().accessTtl(), clock), clock);
    }

    /** The pipelines of {@code config}: built at start, and again for each reloaded config. */
    Assembly assemble(Config config, TokenIssuers tokens) {
      return new Assembly(config, tokens);
    }

    /**
     * What one config makes of the components: its headers, CORS, trusted proxies, token issuers,
     * guards and routes, and the pipelines that run them. Immutable; a reload builds another.
     */
    final class Assembly {
      private final Config config;
      private final SecurityHeaders headers;
      private final TrustedProxies trustedProxies;
      private final Cors cors;
      private final TokenIssuers tokens;
      private final Guards guards;

      Assembly(Config config, TokenIssuers tokens) {
        this.config = config;
        this.tokens = tokens;
        this.headers = new SecurityHeaders(config.server().https().hstsMaxAge().toSeconds());
        this.trustedProxies = new TrustedProxies(config.server().trustedProxies(), config.server().forwardedHeader());
        this.cors = new Cors(config.cors(), origins);
        this.guards = new Guards(Map.of(
                AuthKind.SESSION, new SessionAuthenticator(accounts.sessions(), accounts.cookies()),
                AuthKind.API_KEY, new ApiKeyAuthenticator(accounts.apiKeys(), accounts.users()),
                AuthKind.OAUTH_CLIENT, clientAuthenticator.confidential(),
                AuthKind.OAUTH_PUBLIC_CLIENT, clientAuthenticator.publicClients()),
            tokens.own(), tokens.external(), config.defaultAudience(),
            new CsrfCheck(origins, cors, Callers::csrfToken), accounts.audit(), clock);
      }

      Config config() {
        return config;
      }

      TokenIssuers tokens() {
        return tokens;
      }

      TrustedProxies trustedProxies() {
        return trustedProxies;
      }

      /** The public listeners' pipeline: built-in account endpoints, then the configured routes. */
      Pipeline gatewayPipeline(Readiness readiness) {
        List<Route> routes = new ArrayList<>();
        ProtectedResources resources = new ProtectedResources(config.issuer(), config.issuer().toString(),
            config.issuers(), config.routes());
        RouteAssembly assembly = new RouteAssembly(guards, limitStages);
        for (Endpoint endpoint : builtinEndpoints(resources)) {
          routes.add(assembly.endpoint(endpoint, config.rateLimits().builtin()));
        }
        List<EventExecutor> loops = new ArrayList<>();
        vertx.nettyEventLoopGroup().forEach(loops::add);
        RouteAssembly.Upstreams upstreams = new RouteAssembly.Upstreams(trustedProxies, config.sessions().cookieName(),
            config.issuer().toString(), metrics, new UpstreamConnector(vertx), loops,
            new IdentityTokens(config.issuer().toString(), signingKeys::signing, clock), clock, readiness,
            childSpans);
        for (RouteConfig route : config.routes()) {
          routes.add(assembly.configured(route, config.rateLimits().defaults(), resources.metadataUrl(route), upstreams));
        }
        List<ExchangeObserver> observers = new ArrayList<>(List.of(metrics));
        if (accessLog != null) {
          observers.add(accessLog);
        }
        if (serverSpans != null) {
          observers.add(serverSpans);
        }
        return pipeline(routes, config.server().hosts(), cors, serverSpans, observers);
      }

      /** The public listeners' built-in endpoints: accounts, RFC 9728 metadata, the OAuth / OpenID Connect server. */
      private List<Endpoint> builtinEndpoints(ProtectedResources resources) {
        JwtVerifier ownTokens = tokens.ownVerifier();
        List<Endpoint> endpoints = new ArrayList<>(
            new AccountEndpoints(accounts).endpoints(config.signup(), new FirstPartyClient(refreshTokens), loginThrottle));
        endpoints.addAll(new ConsentEndpoints(storage.consents()).endpoints());
        endpoints.addAll(resources.endpoints());
        endpoints.add(JwksEndpoint.of(signingKeys));
        endpoints.addAll(ServerMetadata.endpoints(config.issuer(), config.tokens().signingAlgorithms()));
        endpoints.addAll(
            new AuthorizationEndpoint(config.issuer(), clients, codes, storage.consents(), clock).endpoints());
        endpoints.add(
            new TokenEndpoint(config.issuer(), accessTokens, refreshTokens, codes).endpoint());
        endpoints.add(new IntrospectionEndpoint(config.issuer(), ownTokens, refreshTokens).endpoint());
        endpoints.add(new RevocationEndpoint(config.issuer(), ownTokens, revocations, refreshTokens).endpoint());
        endpoints.add(new UserInfoEndpoint(accounts.users()).endpoint());
        endpoints.add(
            new LogoutEndpoint(config.issuer(), signingKeys::published, clients, accounts.sessions()).endpoint());
        return endpoints;
      }

      /**
       * The management listener's pipeline: its endpoints only, no access log. It is an origin of its
       * own: no cross-origin caller, and the issuer's origin is not its own for the CSRF check (a page
       * of the public site must not change anything here with an administrator's cookie).
       */
      Pipeline managementPipeline(List<Endpoint> endpoints) {
        Origins own = Origins.listenerOnly();
        Cors closed = new Cors(CorsConfig.NONE, own);
        RouteAssembly assembly = new RouteAssembly(guards.withCsrf(new CsrfCheck(own, closed, Callers::csrfToken)),
            limitStages);
        return pipeline(endpoints.stream().map(endpoint -> assembly.endpoint(endpoint, List.of())).toList(), List.of(),
            closed, null, List.of());
      }

      /**
       * @param spans where each exchange's span starts, or null to record none (export off, or the
       *     management listener, whose health probes would flood a trace store)
       * @param observers told of every finished exchange (the access log, metrics and spans of the public listeners)
       */
      private Pipeline pipeline(List<Route> routes, List<String> hosts, Cors cors, ServerSpans spans,
          List<ExchangeObserver> observers) {
        Pipeline.Builder pipeline = Pipeline.builder()
            .requestId(new RequestIdStage(trustedProxies, spans))
            .limits(new RequestLimits(config.server().limits()))
            .cors(cors)
            .routing(new Routing(new RouteTable<>(routes, Route::selector), hosts))
            .problems(problems)
            .securityHeaders(headers)
            .maxBodyBytes(config.server().limits().maxBodyBytes())
            // A store that cannot answer: 503, decided nothing, try again.
            .failures(failure -> failure instanceof StoreUnavailable unavailable ? new ProblemException(
                Problem.UNAVAILABLE.withDetail(unavailable.detail()), unavailable.retryAfterSeconds()) : null)
            // The identity rules' refusals: the field that is wrong, a taken name, a busy hashing pool.
            .failures(AccountFailures.FAILURES)
            .failures(failure -> failure instanceof ClientIdTakenException
                ? new ProblemException(CLIENT_ID_TAKEN) : null)
            // The OAuth server's refusals, answered as RFC 6749 JSON at the endpoints clients call.
            .failures(OAuthErrors.FAILURES);
        observers.forEach(pipeline::observer);
        return pipeline.build();
      }
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
