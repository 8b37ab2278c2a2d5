package io.gatehouse.guard.issuer;

import io.gatehouse.config.IssuerConfig;
import io.gatehouse.guard.IssuerKeys;
import io.gatehouse.guard.JwtAuthenticator;
import io.gatehouse.guard.JwtVerifier;
import io.gatehouse.guard.RevokedTokens;
import io.gatehouse.http.ChildSpans;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The token authenticators of {@code issuers[]}, one per issuer with its own keys, verifier and
 * cache, and the one of Gatehouse's own issuer ({@code jwt}).
 */
public final class TokenIssuers {

  private final JwtVerifier ownVerifier;
  private final JwtAuthenticator own;
  private final Map<String, JwtAuthenticator> external;
  private final Map<String, RemoteIssuerKeys> remote;

  private TokenIssuers(JwtVerifier ownVerifier, Map<String, JwtAuthenticator> external,
      Map<String, RemoteIssuerKeys> remote) {
    this.ownVerifier = ownVerifier;
    this.own = new JwtAuthenticator(ownVerifier);
    this.external = Map.copyOf(external);
    this.remote = Map.copyOf(remote);
  }

  /**
   * Reads every {@code jwks_file} and starts fetching every remote issuer's keys. Blocking (file
   * reads): call it at start, off the event loop.
   *
   * @param ownIssuer the {@code iss} of Gatehouse's own tokens
   * @param ownKeys their keys: Gatehouse's published signing keys
   * @param spans where the key fetches that requests wait on are traced
   * @throws IllegalStateException when a key file cannot be used
   */
  public static TokenIssuers start(Vertx vertx, String ownIssuer, IssuerKeys ownKeys, List<IssuerConfig> issuers,
      RevokedTokens revoked, Clock clock, MeterRegistry registry, ChildSpans spans) {
    JwtVerifier own = new JwtVerifier(ownIssuer, List.of(), List.of("ES256", "RS256", "EdDSA"), true, "roles", ownKeys,
        revoked, clock);
    Map<String, JwtAuthenticator> external = new LinkedHashMap<>();
    Map<String, RemoteIssuerKeys> remote = new LinkedHashMap<>();
    for (IssuerConfig issuer : issuers) {
      IssuerKeys keys;
      if (issuer.jwksFile() != null) {
        keys = JwksFile.load(issuer.jwksFile());
      } else {
        RemoteIssuerKeys fetched = RemoteIssuerKeys.start(vertx, issuer.name(), issuer.issuer(), issuer.jwksUri(),
            issuer.caFile(), clock, issuer.cacheDuration(), issuer.refetchInterval(), registry, spans);
        remote.put(issuer.name(), fetched);
        keys = fetched;
      }
      external.put(issuer.name(), new JwtAuthenticator(new JwtVerifier(issuer.issuer(), issuer.audience(),
          issuer.algorithms(), false, issuer.rolesClaim(), keys, revoked, clock)));
    }
    return new TokenIssuers(own, external, remote);
  }

  public JwtAuthenticator own() {
    return own;
  }

  /** The verifier of Gatehouse's own access tokens, for introspection and revocation. */
  public JwtVerifier ownVerifier() {
    return ownVerifier;
  }

  /** By issuer name. */
  public Map<String, JwtAuthenticator> external() {
    return external;
  }

  /** Stops the background fetches of every remote issuer: a reload replaced these issuers. */
  public void stop() {
    remote.values().forEach(RemoteIssuerKeys::stop);
  }

  /** The issuers whose keys are fetched, by name: their state belongs in {@code /health/ready}. */
  public Map<String, RemoteIssuerKeys> remote() {
    return remote;
  }
}
