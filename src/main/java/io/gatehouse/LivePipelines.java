package io.gatehouse;

import io.gatehouse.Gatehouse.Prepared;
import io.gatehouse.config.Config;
import io.gatehouse.config.HttpsConfig;
import io.gatehouse.guard.IssuerKeys;
import io.gatehouse.guard.issuer.TokenIssuers;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Pipeline;
import io.gatehouse.http.server.TlsContexts;
import io.gatehouse.http.TrustedProxies;
import io.gatehouse.identity.web.AccountEndpoints;
import io.gatehouse.identity.AccountServices;
import io.gatehouse.identity.web.AdminAccess;
import io.gatehouse.identity.passkey.Passkeys;
import io.gatehouse.keys.KeyAdminEndpoints;
import io.gatehouse.keys.SigningKeys;
import io.gatehouse.oauth.web.ClientAdminEndpoints;
import io.gatehouse.oauth.Clients;
import io.gatehouse.observability.ManagementEndpoints;
import io.gatehouse.observability.Readiness;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.internal.VertxInternal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a reload swaps, each read by the listeners as a connection is accepted (the TLS context)
 * or a request begins (the pipelines): so an open connection keeps its certificate, a request in
 * flight its pipeline, and every new one gets the current of each. Built from a config off the
 * event loops ({@link #build}), swapped in one step.
 */
final class LivePipelines {
  private static final Logger LOG = LoggerFactory.getLogger(LivePipelines.class);

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

  LivePipelines(Components components, Readiness readiness, MeterRegistry registry, Prepared prepared, Clock clock) {
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
          registry, components.accounts, components.userPasskeys, components.clients, prepared.signingKeys(), config));
    } catch (RuntimeException e) {
      if (current != null && issuers != current.tokens()) {
        issuers.stop(); // started for a config that is not applied
      }
      throw e;
    }
    long stamp = FileStamp.of(https.cert(), https.key(), https.clientCa());
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
    long stamp = FileStamp.of(https.cert(), https.key(), https.clientCa());
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


  /** Health, metrics and the admin API. */
  private static List<Endpoint> managementEndpoints(Config config, VertxInternal vertx, Readiness readiness,
      MeterRegistry registry, AccountServices accounts, Passkeys passkeys, Clients clients, SigningKeys signingKeys,
      LiveConfig live) {
    List<Endpoint> endpoints = new ArrayList<>(ManagementEndpoints.all(vertx, readiness,
        (PrometheusMeterRegistry) registry));
    AccountEndpoints web = new AccountEndpoints(accounts);
    AdminAccess admin = web.adminAccess(config.management(), clients::isFirstParty);
    endpoints.addAll(web.adminEndpoints(admin, passkeys));
    endpoints.addAll(new ClientAdminEndpoints(clients, admin).endpoints());
    endpoints.addAll(new KeyAdminEndpoints(signingKeys, admin).endpoints());
    endpoints.add(live.endpoint(admin));
    return endpoints;
  }
}
