package io.gatehouse;

import io.gatehouse.Gatehouse.Prepared;
import io.gatehouse.account.AccountConsole;
import io.gatehouse.config.AuthKind;
import io.gatehouse.config.Config;
import io.gatehouse.config.CorsConfig;
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
import io.gatehouse.guard.JwtVerifier;
import io.gatehouse.guard.ProtectedResources;
import io.gatehouse.guard.issuer.TokenIssuers;
import io.gatehouse.identity.SessionAuthenticator;
import io.gatehouse.http.Cors;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.ExchangeObserver;
import io.gatehouse.http.Origins;
import io.gatehouse.http.Pipeline;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.ProblemRenderer;
import io.gatehouse.http.RequestIdStage;
import io.gatehouse.http.RequestLimits;
import io.gatehouse.http.Route;
import io.gatehouse.http.SecurityHeaders;
import io.gatehouse.http.TrustedProxies;
import io.gatehouse.identity.web.AccountFailures;
import io.gatehouse.identity.web.PasskeyEndpoints;
import io.gatehouse.identity.passkey.PasskeyAssertions;
import io.gatehouse.identity.passkey.PasskeyRegistration;
import io.gatehouse.identity.passkey.PasskeySignIn;
import io.gatehouse.identity.passkey.Passkeys;
import io.gatehouse.identity.passkey.RelyingParty;
import io.gatehouse.identity.passkey.WebAuthnChallenges;
import io.gatehouse.identity.web.AccountEndpoints;
import io.gatehouse.identity.web.SecondFactorHandler;
import io.gatehouse.identity.AccountServices;
import io.gatehouse.identity.Callers;
import io.gatehouse.identity.KnownAddresses;
import io.gatehouse.identity.LoginThrottle;
import io.gatehouse.keys.JwksEndpoint;
import io.gatehouse.keys.SigningKeys;
import io.gatehouse.identity.SecretTokens;
import io.gatehouse.oauth.AccessTokens;
import io.gatehouse.oauth.AuthorizationCodes;
import io.gatehouse.oauth.web.AuthorizationEndpoint;
import io.gatehouse.oauth.web.ConsentEndpoints;
import io.gatehouse.oauth.FirstPartyClient;
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
import io.gatehouse.oauth.Consents;
import io.gatehouse.oauth.web.OAuthErrors;
import io.gatehouse.oauth.web.ServerMetadata;
import io.gatehouse.oauth.web.TokenEndpoint;
import io.gatehouse.observability.AccessLog;
import io.gatehouse.observability.Tracing;
import io.gatehouse.ratelimit.FailureCounter;
import io.gatehouse.ratelimit.FailureThrottle;
import io.gatehouse.ratelimit.LocalRateLimiter;
import io.gatehouse.ratelimit.RateLimiter;
import io.gatehouse.store.RedisFailureCounter;
import io.gatehouse.store.RedisRateLimiter;
import io.gatehouse.ratelimit.RateLimitStage;
import io.gatehouse.observability.Readiness;
import io.gatehouse.observability.RequestMetrics;
import io.gatehouse.store.RedisConnection;
import io.gatehouse.store.RedisKnownAddresses;
import io.gatehouse.store.RedisPipeline;
import io.gatehouse.store.Storage;
import io.gatehouse.store.StoreUnavailable;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.internal.VertxInternal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The components the pipelines are made of, built once per start: the stores' services, the
 * limiter and throttles, the OAuth server's parts. {@link Assembly} is what one config makes of
 * them, built again by each reload.
 */
final class Components {

  private static final Problem CLIENT_ID_TAKEN = new Problem(409, "client-id-taken", "Conflict",
      "This client id is taken.");
  final VertxInternal vertx;
  private final RequestMetrics metrics;
  private final AccessLog accessLog;
  /** The exchanges' spans, or null when tracing export is off. */
  private final ServerSpans serverSpans;
  final ChildSpans childSpans;
  private final ProblemRenderer problems = new ProblemRenderer();
  private final Origins origins;
  final AccountServices accounts;
  private final SigningKeys signingKeys;
  private final Storage storage;
  private final TokenRevocations revocations;
  private final AccessTokens accessTokens;
  final RefreshTokens refreshTokens;
  final AuthorizationCodes codes;
  private final Clock clock;
  final LocalRateLimiter localLimiter;
  private final RateLimitStage.Factory limitStages;
  final LoginThrottle loginThrottle;
  final Clients clients;
  final ClientAuthenticator clientAuthenticator;
  /** The passkey endpoints, or null with {@code passkeys.enabled: false}. */
  private final PasskeyEndpoints passkeys;
  /** Users' passkeys as stored, for their owners and the admin API (shown even while passkeys are off). */
  final Passkeys userPasskeys;

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
    IdTokens idTokens = new IdTokens(config.issuer().toString(), signingKeys::signing, config.tokens().accessTtl(), clock);
    this.refreshTokens = new RefreshTokens(storage.refreshTokens(), accounts.users(), accessTokens, idTokens, revocations,
        new SecretTokens(), config.defaultAudience(), config.tokens().refreshTtl(), clock);
    this.codes = new AuthorizationCodes(storage.authorizationCodes(), storage.consents(), accounts.users(), refreshTokens,
        revocations, new SecretTokens(), idTokens, clock);
    this.userPasskeys = new Passkeys(storage.passkeys());
    this.passkeys = config.passkeys().enabled() ? passkeyEndpoints(config) : null;
  }

  /** Passkeys: the relying party, its challenges (in Redis when shared), the ceremonies over the store. */
  private PasskeyEndpoints passkeyEndpoints(Config config) {
    RelyingParty party = new RelyingParty(config.passkeys());
    WebAuthnChallenges challenges = new WebAuthnChallenges(storage.webAuthnChallenges(), new SecretTokens(),
        config.passkeys().challengeTtl(), clock);
    return new PasskeyEndpoints(accounts,
        new PasskeyRegistration(party, challenges, storage.passkeys(), clock),
        new PasskeySignIn(new PasskeyAssertions(party, challenges, storage.passkeys(), accounts.users(), clock),
            accounts.sessions()),
        userPasskeys);
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
          new CsrfCheck(origins, cors, Callers::csrfToken), accounts.audit(), clock, SecondFactorHandler.PATH);
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
      AccountEndpoints accountEndpoints = new AccountEndpoints(accounts, passkeys != null);
      List<Endpoint> endpoints = new ArrayList<>(
          accountEndpoints.endpoints(config.signup(), new FirstPartyClient(refreshTokens), loginThrottle));
      if (passkeys != null) {
        endpoints.addAll(passkeys.endpoints(new FirstPartyClient(refreshTokens), config.passkeys().rateLimit()));
      }
      Consents consents = new Consents(storage.consents(), storage.refreshTokens(), revocations, clock);
      endpoints.addAll(new ConsentEndpoints(consents).endpoints());
      endpoints.addAll(new AccountConsole(accounts, userPasskeys, passkeys != null, consents,
          accountEndpoints.passwordChange(loginThrottle)).endpoints());
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
