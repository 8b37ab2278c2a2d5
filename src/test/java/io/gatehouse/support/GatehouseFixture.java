package io.gatehouse.support;

import io.gatehouse.Gatehouse;
import io.gatehouse.config.Config;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ConfigSource;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The real gateway on random ports, from YAML. The YAML may use {@code ${DATA}} (a temp data
 * directory) and any variables passed in; listeners default to 127.0.0.1 and port 0.
 */
public final class GatehouseFixture implements AutoCloseable {

  public final Gatehouse gatehouse;
  public final Config config;
  /** Everything the gateway wrote to its access log. */
  public final AccessLines accessLog;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private GatehouseFixture(Gatehouse gatehouse, Config config, AccessLines accessLog) {
    this.gatehouse = gatehouse;
    this.config = config;
    this.accessLog = accessLog;
  }

  /**
   * Starts on {@code http://localhost:<a free port>} with that URL as its issuer (see
   * {@link #localOrigin}): WebAuthn takes a host name, not an address, for its relying party, and
   * the passkeys' origin is the issuer's. {@code yaml} must not set {@code issuer}, {@code server},
   * {@code management} or {@code store}.
   */
  public static GatehouseFixture startOnLocalhost(Path dataDir, String yaml, Map<String, String> variables, Clock clock)
      throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort(); // the issuer, and so the passkeys' origin, must name the port
    }
    Map<String, String> all = new HashMap<>(variables);
    all.put("LOCAL_ORIGIN", "http://localhost:" + port);
    all.put("LOCAL_PORT", Integer.toString(port));
    return startRaw(dataDir, """
        issuer: "${LOCAL_ORIGIN}"
        server: { http: { host: 127.0.0.1, port: "${LOCAL_PORT}" }, https: { enabled: false } }
        management: { host: 127.0.0.1, port: 0 }
        store: { embedded: { path: "${DATA}" } }
        """ + yaml, all, clock);
  }

  /** {@code http://localhost:<the public port>}: the origin a browser uses for {@link #startOnLocalhost}. */
  public String localOrigin() {
    return "http://localhost:" + gatehouse.httpPort();
  }

  /** Starts with the default listener block prepended to {@code yaml} (which must not contain a server: key). */
  public static GatehouseFixture start(Path dataDir, String yaml, Map<String, String> variables) throws Exception {
    return start(dataDir, yaml, variables, Clock.systemUTC());
  }

  /** As {@link #start(Path, String, Map)}, judging expiry by {@code clock}. */
  public static GatehouseFixture start(Path dataDir, String yaml, Map<String, String> variables, Clock clock) throws Exception {
    return startRaw(dataDir, withListeners(yaml), variables, clock, null);
  }

  /**
   * As {@link #start(Path, String, Map, Clock)}, recording spans into {@code spans} (tracing export on).
   */
  public static GatehouseFixture startTraced(Path dataDir, String yaml, Map<String, String> variables, Clock clock,
      SpanProcessor spans) throws Exception {
    return startRaw(dataDir, withListeners(yaml), variables, clock, spans);
  }

  private static String withListeners(String yaml) {
    return """
        server:
          http: { host: 127.0.0.1, port: 0 }
          https: { host: 127.0.0.1, port: 0 }
          limits: { request_timeout: "${REQUEST_TIMEOUT:-30s}", max_body_bytes: "${MAX_BODY:-1MiB}", max_concurrent_streams: "${MAX_STREAMS:-100}", max_connections_per_address: "${MAX_CONNECTIONS:-256}" }
          trusted_proxies: ["${TRUSTED:-192.0.2.1}"]
        management: { host: 127.0.0.1, port: 0 }
        store: { embedded: { path: "${DATA}" } }
        """ + yaml;
  }

  /** Starts from exactly {@code yaml}. */
  public static GatehouseFixture startRaw(Path dataDir, String yaml, Map<String, String> variables) throws Exception {
    return startRaw(dataDir, yaml, variables, Clock.systemUTC(), null);
  }

  /** As {@link #startRaw(Path, String, Map)}, judging time by {@code clock}. */
  public static GatehouseFixture startRaw(Path dataDir, String yaml, Map<String, String> variables, Clock clock)
      throws Exception {
    return startRaw(dataDir, yaml, variables, clock, null);
  }

  private static GatehouseFixture startRaw(Path dataDir, String yaml, Map<String, String> variables, Clock clock,
      SpanProcessor spans) throws Exception {
    Map<String, String> env = new HashMap<>(variables);
    env.put("DATA", dataDir.toString());
    Config config = new ConfigLoader(env).parse(yaml, "test.yaml");
    AccessLines accessLog = new AccessLines();
    Gatehouse gatehouse = Gatehouse.start(config, 2, clock, accessLog, spans).await();
    return new GatehouseFixture(gatehouse, config, accessLog);
  }

  /**
   * Starts from the config file {@code file} (read whole, as {@code serve} does), which every
   * reload reads again; {@code ${DATA}} is {@code dataDir}.
   */
  public static GatehouseFixture startFromFile(Path dataDir, Path file, Map<String, String> variables) throws Exception {
    Map<String, String> env = new HashMap<>(variables);
    env.put("DATA", dataDir.toString());
    ConfigSource source = ConfigSource.file(file, env);
    ConfigSource.Loaded loaded = source.load();
    AccessLines accessLog = new AccessLines();
    Gatehouse gatehouse = Gatehouse.start(source, loaded, 2, Clock.systemUTC(), accessLog).await();
    return new GatehouseFixture(gatehouse, loaded.config(), accessLog);
  }

  public URI http(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + gatehouse.httpPort() + pathAndQuery);
  }

  public URI management(String path) {
    return URI.create("http://127.0.0.1:" + gatehouse.managementPort() + path);
  }

  public HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(http(pathAndQuery)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * {@code method} on {@code uri}, with {@code body} (none when null) of Content-Type {@code type}
   * (none when null), {@code bearer} as {@code Authorization: Bearer} when not null, and
   * {@code headers} (name, value, …) besides.
   */
  public HttpResponse<String> send(String method, URI uri, String body, String type, String bearer, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      request.header("Content-Type", type);
    }
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  /** Sends {@code request}; an answer that does not come within 20 s fails the test rather than hanging it. */
  public HttpResponse<String> send(HttpRequest request) throws Exception {
    try {
      return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  public HttpClient client() {
    return client;
  }

  @Override
  public void close() {
    gatehouse.close().await();
  }
}
