package io.gatehouse.guard.issuer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import io.gatehouse.guard.IssuerKeys;
import io.gatehouse.guard.VerificationKeys;
import io.gatehouse.http.ChildSpans;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An issuer's keys fetched over HTTPS from its {@code jwks_uri}, found by OIDC discovery
 * ({@code /.well-known/openid-configuration}) or RFC 8414 ({@code /.well-known/oauth-authorization-server})
 * unless configured. Survives rotation and abuse:
 *
 * <ul>
 *   <li>cached, and refreshed in the background once three quarters of {@code cache_duration} have
 *       passed, so tokens never wait for a routine refresh;
 *   <li>a token with an unknown {@code kid} (an issuer that switched keys without publishing the
 *       new one ahead) fetches at once, unless a fetch was made within the last
 *       {@link #UNKNOWN_KID_FLOOR} (or {@code refetch_interval}, if shorter): a flood of made-up
 *       kids costs at most one fetch per floor, shared by every token that asks meanwhile (single
 *       flight), while a real rotation is seen within seconds, not a whole {@code refetch_interval};
 *   <li>a failed fetch is retried in the background at most once per {@code refetch_interval};
 *   <li>an issuer that is down or answers garbage keeps its last good keys (stale-if-error), shown
 *       as stale in {@code /metrics} ({@code gatehouse_issuer_keys_stale}) and {@code /health/ready}
 *       from the first failed fetch on, with the reason and the time of the last good fetch, until a
 *       fetch succeeds again.
 * </ul>
 *
 * <p>Stale is a notice, not a failed readiness check: the cached keys still verify the tokens they
 * signed, and every instance would see the same issuer fail, so taking them all out of the load
 * balancer would refuse every caller rather than only those whose keys are new.
 *
 * <p>With tracing export on, a fetch a request waits on (its token's {@code kid} was unknown) is a
 * client span under it, {@code jwks fetch} with {@code gatehouse.issuer}, an error if it failed;
 * background fetches belong to no request and are not traced.
 *
 * Thread-safe; fetches never block an event loop.
 */
public final class RemoteIssuerKeys implements IssuerKeys {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteIssuerKeys.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The least time between two fetches caused by tokens with an unknown {@code kid}. */
  static final Duration UNKNOWN_KID_FLOOR = Duration.ofSeconds(5);
  private static final AttributeKey<String> ISSUER = AttributeKey.stringKey("gatehouse.issuer");

  private final String name;
  private final String issuer;
  private final URI configuredJwksUri;
  private final IssuerFetcher fetcher;
  private final Clock clock;
  private final long cacheMillis;
  private final long refetchMillis;
  private final long unknownKidFloorMillis;
  private final Counter fetchesOk;
  private final Counter fetchesFailed;
  private final ChildSpans spans;
  private final Attributes spanAttributes;

  private volatile JWKSet keys = new JWKSet();
  private volatile long fetchedAtMillis;        // 0: never
  private volatile Failure lastFailure;         // null: the last fetch succeeded (or none ended yet)
  private volatile URI discoveredJwksUri;
  private long lastAttemptMillis = Long.MIN_VALUE / 2; // guarded by this
  private Future<JWKSet> inFlight;               // guarded by this
  private volatile Runnable stopper;             // cancels the background refresh; set once by start

  /**
   * @param name the issuer's name in config, for logs and metrics
   * @param issuer the exact {@code iss}, which discovery must confirm
   * @param jwksUri where the keys are, or null to discover it under {@code issuer}
   * @param spans where the fetches' spans start (recording nothing with tracing export off)
   */
  RemoteIssuerKeys(String name, String issuer, URI jwksUri, IssuerFetcher fetcher, Clock clock, Duration cacheDuration,
      Duration refetchInterval, MeterRegistry registry, ChildSpans spans) {
    this.name = name;
    this.spans = spans;
    this.spanAttributes = Attributes.of(ISSUER, name);
    this.issuer = issuer;
    this.configuredJwksUri = jwksUri;
    this.fetcher = fetcher;
    this.clock = clock;
    this.cacheMillis = cacheDuration.toMillis();
    this.refetchMillis = refetchInterval.toMillis();
    this.unknownKidFloorMillis = Math.min(refetchMillis, UNKNOWN_KID_FLOOR.toMillis());
    this.fetchesOk = Counter.builder("gatehouse_issuer_key_fetches").tag("issuer", name).tag("outcome", "ok")
        .description("Fetches of an issuer's JWK set").register(registry);
    this.fetchesFailed = Counter.builder("gatehouse_issuer_key_fetches").tag("issuer", name).tag("outcome", "error")
        .description("Fetches of an issuer's JWK set").register(registry);
    Gauge.builder("gatehouse_issuer_keys", this, k -> k.keys.size()).tag("issuer", name)
        .description("Verification keys known for an issuer").register(registry);
    Gauge.builder("gatehouse_issuer_keys_stale", this, k -> k.isStale() ? 1 : 0).tag("issuer", name)
        .description("1 while an issuer's last key fetch failed or its keys are older than its cache_duration")
        .register(registry);
  }

  /** Why the last fetch failed, and when. */
  private record Failure(String reason, long atMillis) {
  }

  /**
   * Starts fetching now and refreshing in the background, checking every {@code tick}.
   *
   * @return the keys source, whose first fetch may still be under way
   */
  public static RemoteIssuerKeys start(Vertx vertx, String name, String issuer, URI jwksUri, java.nio.file.Path caFile,
      Clock clock, Duration cacheDuration, Duration refetchInterval, MeterRegistry registry, ChildSpans spans) {
    RemoteIssuerKeys keys = new RemoteIssuerKeys(name, issuer, jwksUri, new IssuerFetcher(vertx, caFile), clock,
        cacheDuration, refetchInterval, registry, spans);
    keys.fetch();
    long tick = Math.max(1_000, Math.min(refetchInterval.toMillis(), cacheDuration.toMillis() / 4));
    long timer = vertx.setPeriodic(tick, id -> keys.refreshIfDue());
    keys.stopper = () -> vertx.cancelTimer(timer);
    return keys;
  }

  /** Stops refreshing in the background (a reload dropped or replaced this issuer). */
  public void stop() {
    if (stopper != null) {
      stopper.run();
    }
  }

  @Override
  public JWKSet current() {
    return keys;
  }

  /**
   * For a token whose {@code kid} is unknown: the fetch under way, else a new one unless the last
   * began within {@link #UNKNOWN_KID_FLOOR} (then the keys as they are).
   */
  @Override
  public synchronized Future<JWKSet> refetch() {
    if (inFlight != null) {
      return inFlight;
    }
    if (clock.millis() - lastAttemptMillis < unknownKidFloorMillis) {
      return Future.succeededFuture(keys);
    }
    return fetch();
  }

  /** The last fetch failed, the keys are older than {@code cache_duration}, or none were fetched yet. */
  public boolean isStale() {
    return fetchedAtMillis == 0 || lastFailure != null || clock.millis() - fetchedAtMillis > cacheMillis;
  }

  /**
   * For {@code /health/ready}: {@code UP}, {@code STALE} (serving the keys of the last good fetch)
   * or {@code NO_KEYS}.
   */
  public String state() {
    if (fetchedAtMillis == 0) {
      return "NO_KEYS";
    }
    return isStale() ? "STALE" : "UP";
  }

  /**
   * For {@code /health/ready}: {@code last_good_fetch} (ISO-8601, or {@code never}) and, while the
   * last fetch failed, its {@code reason} and {@code failed_at}; for keys merely older than
   * {@code cache_duration}, the reason says so.
   */
  public Map<String, String> details() {
    long fetched = fetchedAtMillis;
    Failure failure = lastFailure;
    Map<String, String> out = new LinkedHashMap<>();
    out.put("last_good_fetch", fetched == 0 ? "never" : Instant.ofEpochMilli(fetched).toString());
    if (failure != null) {
      out.put("reason", failure.reason());
      out.put("failed_at", Instant.ofEpochMilli(failure.atMillis()).toString());
    } else if (fetched != 0 && clock.millis() - fetched > cacheMillis) {
      out.put("reason", "keys older than cache_duration");
    }
    return out;
  }

  /** The background refresh: ahead of expiry, or after a failure once the refetch interval has passed. */
  synchronized void refreshIfDue() {
    long now = clock.millis();
    boolean ageing = fetchedAtMillis == 0 || now - fetchedAtMillis >= cacheMillis * 3 / 4;
    if (inFlight == null && ageing && now - lastAttemptMillis >= refetchMillis) {
      fetch();
    }
  }

  private synchronized Future<JWKSet> fetch() {
    lastAttemptMillis = clock.millis();
    Future<JWKSet> fetched = spans.traced("jwks fetch", SpanKind.CLIENT, spanAttributes, () -> jwksUri()
            .compose(fetcher::get)
            .map(body -> {
              try {
                return VerificationKeys.from(JWKSet.parse(body));
              } catch (java.text.ParseException e) {
                throw new IllegalStateException("not a JWK set");
              }
            })
            .map(fresh -> {
              if (fresh.isEmpty()) {
                throw new IllegalStateException("no public signing key with a kid");
              }
              return fresh;
            }))
        .map(fresh -> {
          keys = fresh;
          fetchedAtMillis = clock.millis();
          lastFailure = null;
          fetchesOk.increment();
          return fresh;
        })
        .recover(failure -> {
          lastFailure = new Failure(reason(failure), clock.millis());
          fetchesFailed.increment();
          discoveredJwksUri = null; // discover again next time: the metadata may have moved
          LOG.warn("issuer {}: fetching keys failed ({}); keeping the {} known key(s)", name,
              failure.getMessage(), keys.size());
          return Future.succeededFuture(keys);
        })
        .andThen(done -> {
          synchronized (this) {
            inFlight = null;
          }
        });
    if (!fetched.isComplete()) {
      inFlight = fetched;
    }
    return fetched;
  }

  private static String reason(Throwable failure) {
    return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
  }

  private Future<URI> jwksUri() {
    if (configuredJwksUri != null) {
      return Future.succeededFuture(configuredJwksUri);
    }
    URI known = discoveredJwksUri;
    if (known != null) {
      return Future.succeededFuture(known);
    }
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    URI oidc = URI.create(base + "/.well-known/openid-configuration");
    URI issuerUri = URI.create(base);
    String path = issuerUri.getRawPath() == null ? "" : issuerUri.getRawPath();
    URI rfc8414 = URI.create(issuerUri.getScheme() + "://" + issuerUri.getRawAuthority()
        + "/.well-known/oauth-authorization-server" + path);
    return fetcher.get(oidc)
        .recover(failure -> fetcher.get(rfc8414))
        .map(this::jwksUriFrom)
        .andThen(found -> {
          if (found.succeeded()) {
            discoveredJwksUri = found.result();
          }
        });
  }

  /** OIDC Discovery §4.3 / RFC 8414 §3.3: the metadata must name this very issuer. */
  private URI jwksUriFrom(String metadata) {
    JsonNode json;
    try {
      json = JSON.readTree(metadata);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("discovery metadata is not JSON");
    }
    if (json == null || !issuer.equals(json.path("issuer").asText(null))) {
      throw new IllegalStateException("discovery metadata names another issuer");
    }
    String jwks = json.path("jwks_uri").asText(null);
    if (jwks == null || !jwks.startsWith("https://")) {
      throw new IllegalStateException("discovery metadata has no https jwks_uri");
    }
    return URI.create(jwks);
  }
}
