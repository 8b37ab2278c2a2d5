package io.gatehouse.store;

import io.gatehouse.config.StoreConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Redis server the instances share state through ({@code store.redis}), on a pool of
 * connections of the Vert.x client. Checked with a PING at start, which fails naming the server;
 * afterwards its {@link RedisProbe} keeps {@link #isUp()} current for {@code /health/ready}.
 */
public final class RedisConnection implements AutoCloseable {

  private static final long PING_DEADLINE_MILLIS = 2_000;
  /** Held connections: the limiter's, the login throttle's, the stores', the subscriber's, and spares. */
  private static final int DEDICATED_CONNECTIONS = 16;

  private final Redis client;
  private final Redis dedicated;
  private final RedisAPI api;
  private final String server;
  private final String prefix;
  private final RedisProbe probe;
  private final MeterRegistry registry;

  private RedisConnection(Redis client, Redis dedicated, RedisProbe probe, String server, String prefix,
      MeterRegistry registry) {
    this.registry = registry;
    this.client = client;
    this.dedicated = dedicated;
    this.probe = probe;
    this.api = RedisAPI.api(client);
    this.server = server;
    this.prefix = prefix;
  }

  /** As {@link #open(Vertx, StoreConfig.RedisConfig, MeterRegistry)}, its meters kept to itself (the CLI). */
  public static Future<RedisConnection> open(Vertx vertx, StoreConfig.RedisConfig config) {
    return open(vertx, config, new SimpleMeterRegistry());
  }

  /**
   * Connects and checks the server answers; fails naming {@code host:port} (never the password)
   * when it does not. Its meters, and those of the stores on it, go to {@code registry}:
   * {@code gatehouse_redis_up} is 1 while its {@link RedisProbe} finds Redis up, else 0.
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
    return RedisAPI.api(client).ping(List.of()).timeout(PING_DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
        .map(pong -> {
          // The probe's one connection, on a client of its own: taken from a shared pool, its
          // PING could wait behind other commands, and a Redis that is gone would look slow.
          RedisOptions probing = new RedisOptions(options).setMaxPoolSize(1).setNetClientOptions(
              new NetClientOptions(options.getNetClientOptions()).setConnectTimeout((int) RedisProbe.DEADLINE_MILLIS));
          RedisConnection redis = new RedisConnection(client, dedicated,
              new RedisProbe(vertx, () -> Redis.createClient(vertx, probing), Clock.systemUTC()), server,
              config.prefix(), registry);
          Gauge.builder("gatehouse.redis.up", redis, r -> r.isUp() ? 1 : 0)
              .description("Whether Redis answers PING (probed every " + RedisProbe.EVERY_MILLIS + " ms)")
              .register(registry);
          return redis;
        })
        .recover(e -> {
          client.close();
          dedicated.close();
          return Future.failedFuture(new IllegalStateException("cannot reach Redis at " + server + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
        });
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

  /** Whether Redis answers, as its probe last found. */
  public boolean isUp() {
    return probe.isUp();
  }

  /** The probe behind {@link #isUp()}, with the reason when Redis is down. */
  public RedisProbe probe() {
    return probe;
  }

  static String serverOf(String url) {
    URI uri = URI.create(url);
    return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
  }

  @Override
  public void close() {
    probe.close();
    client.close();
    dedicated.close();
  }
}
