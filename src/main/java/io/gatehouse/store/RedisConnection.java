package io.gatehouse.store;

import io.gatehouse.config.StoreConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Redis server the instances share state through ({@code store.redis}), on a pool of
 * connections of the Vert.x client. Checked with a PING at start, which fails naming the server;
 * afterwards a PING every few seconds keeps {@link #isUp()} current for {@code /health/ready}.
 */
public final class RedisConnection implements AutoCloseable {

  private static final long PING_EVERY_MILLIS = 5_000;
  private static final long PING_DEADLINE_MILLIS = 2_000;
  /** Held connections: the limiter's, the login throttle's, the stores', the subscriber's, and spares. */
  private static final int DEDICATED_CONNECTIONS = 16;

  private final Redis client;
  private final Redis dedicated;
  private final RedisAPI api;
  private final String server;
  private final String prefix;
  private final AtomicBoolean up = new AtomicBoolean(true);
  private final long timer;
  private final Vertx vertx;
  private final MeterRegistry registry;

  private RedisConnection(Vertx vertx, Redis client, Redis dedicated, String server, String prefix,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.registry = registry;
    this.client = client;
    this.dedicated = dedicated;
    this.api = RedisAPI.api(client);
    this.server = server;
    this.prefix = prefix;
    this.timer = vertx.setPeriodic(PING_EVERY_MILLIS, id -> ping().onComplete(ok -> up.set(ok.succeeded())));
  }

  /** As {@link #open(Vertx, StoreConfig.RedisConfig, MeterRegistry)}, its meters kept to itself (the CLI). */
  public static Future<RedisConnection> open(Vertx vertx, StoreConfig.RedisConfig config) {
    return open(vertx, config, new SimpleMeterRegistry());
  }

  /**
   * Connects and checks the server answers; fails naming {@code host:port} (never the password)
   * when it does not. Its meters, and those of the stores on it, go to {@code registry}:
   * {@code gatehouse_redis_up} is 1 while the last PING was answered, else 0.
   */
  public static Future<RedisConnection> open(Vertx vertx, StoreConfig.RedisConfig config, MeterRegistry registry) {
    RedisOptions options = new RedisOptions().setConnectionString(config.url())
        .setMaxPoolSize(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()))
        .setMaxPoolWaiting(10_000);
    if (config.password() != null) {
      options.setPassword(config.password().reveal());
    }
    Redis client = Redis.createClient(vertx, options);
    // Connections held for good (pipelines, the subscriber) come from a client of their own: taken
    // from the pool above, they would leave it none for the commands that borrow one (PING, PUBLISH).
    Redis dedicated = Redis.createClient(vertx, new RedisOptions(options).setMaxPoolSize(DEDICATED_CONNECTIONS));
    String server = serverOf(config.url());
    RedisAPI probe = RedisAPI.api(client);
    return probe.ping(List.of()).timeout(PING_DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
        .map(pong -> {
          RedisConnection redis = new RedisConnection(vertx, client, dedicated, server, config.prefix(), registry);
          Gauge.builder("gatehouse.redis.up", redis, r -> r.isUp() ? 1 : 0)
              .description("Whether Redis answered the last PING (checked every 5 s)").register(registry);
          return redis;
        })
        .recover(e -> {
          client.close();
          dedicated.close();
          return Future.failedFuture(new IllegalStateException("cannot reach Redis at " + server + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
        });
  }

  private Future<Void> ping() {
    return api.ping(List.of()).timeout(PING_DEADLINE_MILLIS, TimeUnit.MILLISECONDS).mapEmpty();
  }

  public RedisAPI api() {
    return api;
  }

  /**
   * A connection of the caller's own, held for pipelining (or subscribing), apart from the pool
   * {@link #api()} borrows from; the caller closes it.
   */
  public Future<io.vertx.redis.client.RedisConnection> connect() {
    return dedicated.connect();
  }

  /** Where the meters of what runs on this connection go. */
  MeterRegistry registry() {
    return registry;
  }

  /** The deployment's key prefix. */
  public String prefix() {
    return prefix;
  }

  /** {@code host:port} for messages. */
  public String server() {
    return server;
  }

  /** Whether the last PING was answered. */
  public boolean isUp() {
    return up.get();
  }

  static String serverOf(String url) {
    URI uri = URI.create(url);
    return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
    client.close();
    dedicated.close();
  }
}
