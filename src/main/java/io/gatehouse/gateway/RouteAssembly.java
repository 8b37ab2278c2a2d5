package io.gatehouse.gateway;

import io.gatehouse.config.AuthMethod;
import io.gatehouse.config.MtlsConfig;
import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.config.RouteSelector;
import io.gatehouse.guard.Guards;
import io.gatehouse.guard.IdentityTokens;
import io.gatehouse.guard.RouteGuard;
import io.gatehouse.http.ChildSpans;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.EndpointTarget;
import io.gatehouse.http.Route;
import io.gatehouse.http.RouteTarget;
import io.gatehouse.http.TrustedProxies;
import io.gatehouse.observability.Readiness;
import io.gatehouse.observability.RequestMetrics;
import io.gatehouse.ratelimit.RateLimitStage;
import io.gatehouse.ratelimit.RouteLimits;
import io.netty.util.concurrent.EventExecutor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Builds the routes a listener's pipeline runs, once at start: each route's target, its guard and
 * its two limit stages, for the configured routes (a fixed response or the streaming proxy) and
 * for the built-in endpoints alike. Immutable.
 */
public final class RouteAssembly {

  /**
   * What the proxy of a configured route needs besides its config.
   *
   * @param sessionCookieName the session cookie's base name, stripped before the upstream
   * @param ownIssuer Gatehouse's {@code iss}: its own tokens never reach an upstream
   * @param loops the event loops, one upstream pool each
   */
  public record Upstreams(TrustedProxies trustedProxies, String sessionCookieName, String ownIssuer,
      RequestMetrics metrics, UpstreamConnector connector, List<EventExecutor> loops, IdentityTokens identityTokens,
      Clock clock, Readiness readiness, ChildSpans spans) {

    public Upstreams {
      loops = List.copyOf(loops);
    }
  }

  private final Guards guards;
  private final RateLimitStage.Factory limits;

  public RouteAssembly(Guards guards, RateLimitStage.Factory limits) {
    this.guards = guards;
    this.limits = limits;
  }

  /**
   * A configured route: a fixed response or the proxy to its upstream, guarded by its {@code auth}
   * and access rules, limited by its {@code rate_limit} or {@code defaults}.
   *
   * @param resourceMetadata the RFC 9728 metadata URL its token challenges name, or null
   */
  public Route configured(RouteConfig route, List<RateLimitConfig> defaults, String resourceMetadata,
      Upstreams upstreams) {
    RouteTarget target = route.respond() != null ? new FixedResponse(route.respond())
        : new UpstreamProxy(route, upstreams.trustedProxies(), upstreams.sessionCookieName(), upstreams.ownIssuer(),
            upstreams.metrics(), upstreams.connector(), upstreams.loops(),
            route.identityToken() ? principal -> upstreams.identityTokens().issue(principal, route.id()) : null,
            upstreams.clock(), upstreams.readiness(), upstreams.spans());
    RouteGuard.Access access = new RouteGuard.Access(route.roles(), route.scopes(), route.audience(),
        route.authLevel());
    RouteGuard guard = guards.guard(route.id(), route.auth(), route.mtls(),
        RouteGuard.Policy.of(access, resourceMetadata));
    return assembled(route.selector(), guard, target, RouteLimits.of(route.id(),
        route.rateLimits() != null ? route.rateLimits() : defaults)).build();
  }

  /** A built-in endpoint, guarded as it declares, with its own limits beside {@code limits} (every built-in's). */
  public Route endpoint(Endpoint endpoint, List<RateLimitConfig> limits) {
    RouteGuard.Policy policy = new RouteGuard.Policy(RouteGuard.Access.ANY, endpoint.requirement(), null,
        endpoint.optional(), endpoint.crossSite(), endpoint.formCsrf());
    List<RateLimitConfig> all = new ArrayList<>(limits);
    all.addAll(endpoint.rateLimits());
    RouteGuard guard = guards.guard(endpoint.id(), endpoint.auth().stream().map(AuthMethod::of).toList(),
        endpoint.mtls() != null ? endpoint.mtls() : new MtlsConfig(List.of(), List.of()), policy);
    Route.Builder built = assembled(RouteSelector.builtin(endpoint.id(), endpoint.path()), guard,
        new EndpointTarget(endpoint), RouteLimits.of(endpoint.id(), all))
        .methods(new HashSet<>(endpoint.handlers().keySet()))
        .problems(endpoint.problems());
    return (endpoint.readsBodyBeforeGuard() ? built.bodyBeforeGuard(endpoint.maxBodyBytes()) : built).build();
  }

  private Route.Builder assembled(RouteSelector route, RouteGuard guard, RouteTarget target, RouteLimits routeLimits) {
    return Route.of(route)
        .ipLimits(limits.beforeGuard(route.id(), routeLimits))
        .guard(guard)
        .subjectLimits(limits.afterGuard(route.id(), routeLimits))
        .target(target);
  }
}
