package io.gatehouse.config;

import java.net.URI;
import java.util.List;

/**
 * The whole, validated configuration. Every key has a default, so an empty file is valid; build it
 * with {@link ConfigLoader}.
 *
 * @param issuer the public base URL of this gateway ({@code iss} of tokens, discovery base)
 * @param identity the sign-in policy: second factors
 * @param tracing the export of spans (default: none)
 * @param passkeys WebAuthn sign-in (default: off)
 */
public record Config(URI issuer, ServerConfig server, ManagementConfig management, StoreConfig store,
    SessionsConfig sessions, TokensConfig tokens, SignupConfig signup, IdentityConfig identity, CorsConfig cors, List<IssuerConfig> issuers,
    RateLimitsConfig rateLimits, List<RouteConfig> routes, ReloadConfig reload, ShutdownConfig shutdown,
    TracingConfig tracing, PasskeysConfig passkeys) {

  /**
   * The {@code aud} of own access tokens for which no resource was asked, and the audience an own
   * token must carry on a route that names none: {@code tokens.audience}, by default the issuer.
   */
  public String defaultAudience() {
    return tokens.audience() != null ? tokens.audience() : issuer.toString();
  }
}
