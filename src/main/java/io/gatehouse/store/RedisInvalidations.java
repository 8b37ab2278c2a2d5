package io.gatehouse.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every instance what one of them changed that the others hold in memory (a revoked
 * token, a rotated signing key), over Redis pub/sub on the channel {@code <prefix>:invalidations}:
 * each message is a topic and its payload, delivered to every instance (the sender included) at
 * once. A subscriber that loses its connection reconnects every second and then runs the
 * registered resyncs, which read the whole state again from the store, since what was published
 * meanwhile is lost to it. Thread-safe.
 */
public final class RedisInvalidations implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisInvalidations.class);
  private static final long RECONNECT_MILLIS = 1_000;

  private final Vertx vertx;
  private final RedisConnection redis;
  private final RedisAPI api;
  private final String channel;
  private final Map<String, Consumer<String>> handlers = new ConcurrentHashMap<>();
  private final List<Runnable> resyncs = new CopyOnWriteArrayList<>();
  private final Counter unpublished;
  private volatile io.vertx.redis.client.RedisConnection subscriber;
  private volatile boolean closed;
  private volatile boolean lost;

  private RedisInvalidations(Vertx vertx, RedisConnection redis, MeterRegistry registry) {
    this.vertx = vertx;
    this.redis = redis;
    this.api = redis.api();
    this.channel = redis.prefix() + ":invalidations";
    this.unpublished = Counter.builder("gatehouse.redis.publish.failures")
        .description("Invalidations (revocations, key changes) not published to the other instances; they see them at their next resync")
        .register(registry);
    Gauge.builder("gatehouse.redis.subscribed", this, invalidations -> invalidations.isSubscribed() ? 1 : 0)
        .description("Whether this instance hears the others' invalidations now").register(registry);
  }

  /**
   * Subscribes on a connection of its own; completes once subscribed. Publishing failures are
   * counted in {@code gatehouse_redis_publish_failures_total}, and {@code gatehouse_redis_subscribed}
   * tells whether the subscription is live.
   */
  public static Future<RedisInvalidations> start(Vertx vertx, RedisConnection redis) {
    RedisInvalidations invalidations = new RedisInvalidations(vertx, redis, redis.registry());
    return invalidations.subscribe().map(invalidations);
  }

  /** Runs {@code handler} with the payload of every message on {@code topic} (one word), from any instance. */
  public void on(String topic, Consumer<String> handler) {
    handlers.put(topic, handler);
  }

  /** Runs {@code resync} after the subscription was lost and is back. */
  public void onResync(Runnable resync) {
    resyncs.add(resync);
  }

  /** Sends {@code payload} on {@code topic} to every instance; a failure is logged (the store has the change). */
  public void publish(String topic, String payload) {
    api.publish(channel, topic + " " + payload).timeout(RedisPipeline.DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
        .onFailure(e -> {
          unpublished.increment();
          LOG.warn("invalidation {} not published: {}", topic, e.toString());
        });
  }

  private Future<Void> subscribe() {
    return redis.connect().compose(connection -> {
      connection.handler(this::received);
      connection.exceptionHandler(e -> lost(connection, e));
      connection.endHandler(ended -> lost(connection, null));
      return connection.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).map(subscribed -> {
        subscriber = connection;
        return null;
      });
    });
  }

  private void received(Response message) {
    // A pushed message: ["message", channel, payload].
    if (message.size() < 3 || !"message".equals(message.get(0).toString())) {
      return;
    }
    String text = message.get(2).toString();
    int space = text.indexOf(' ');
    Consumer<String> handler = handlers.get(space < 0 ? text : text.substring(0, space));
    if (handler != null) {
      try {
        handler.accept(space < 0 ? "" : text.substring(space + 1));
      } catch (RuntimeException e) {
        LOG.warn("invalidation not applied: {}", e.toString());
      }
    }
  }

  private void lost(io.vertx.redis.client.RedisConnection connection, Throwable cause) {
    if (closed || connection != subscriber) {
      return;
    }
    subscriber = null;
    if (!lost) {
      lost = true;
      LOG.warn("invalidations: subscription to Redis lost ({}); reconnecting", cause == null ? "closed" : cause.toString());
    }
    vertx.setTimer(RECONNECT_MILLIS, id -> reconnect());
  }

  private void reconnect() {
    if (closed) {
      return;
    }
    subscribe().onSuccess(ok -> {
      lost = false;
      LOG.info("invalidations: subscribed to Redis again; reading the state afresh");
      resyncs.forEach(Runnable::run);
    }).onFailure(e -> vertx.setTimer(RECONNECT_MILLIS, id -> reconnect()));
  }

  /** Whether the subscription is live now. */
  public boolean isSubscribed() {
    return subscriber != null;
  }

  @Override
  public void close() {
    closed = true;
    io.vertx.redis.client.RedisConnection connection = subscriber;
    if (connection != null) {
      connection.close();
    }
  }
}
