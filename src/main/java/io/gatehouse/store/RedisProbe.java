package io.gatehouse.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis answers, as {@code /health/ready} tells it: known within {@link #NOTICED_WITHIN_MILLIS}
 * of Redis going away. A PING every {@value #EVERY_MILLIS} ms, on a connection of the probe's own
 * (so neither a pool's queue nor a pipeline's backlog can delay it), has {@value #DEADLINE_MILLIS} ms
 * to be answered; a connection that closes or fails marks Redis down at once, without waiting for
 * the next PING. After a failure the probe's client is closed with its connection and a new one
 * opened for the next PING, so a half-dead connection (a peer gone without a word) is never asked
 * twice. Redis is up again at the first PING answered. A down state carries its reason and since
 * when. Thread-safe; never blocks.
 */
public final class RedisProbe implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisProbe.class);
  static final long EVERY_MILLIS = 500;
  static final long DEADLINE_MILLIS = 1_000;
  /** The longest a lost Redis reads as up: a PING begun just before it went, then its deadline. */
  public static final long NOTICED_WITHIN_MILLIS = EVERY_MILLIS + DEADLINE_MILLIS;

  private final Vertx vertx;
  private final Supplier<Redis> clients;
  private final Clock clock;
  private final long timer;
  private volatile State state;
  private Redis client;                // guarded by this; null between a failure and the next probe
  private RedisConnection connection; // guarded by this
  private boolean probing;             // guarded by this
  private boolean closed;              // guarded by this

  private record State(boolean up, String reason, Instant since) {
  }

  /**
   * Starts probing; Redis counts as up until a probe says otherwise (it has just answered the
   * start's PING).
   *
   * @param clients makes the probe's own client (with a pool of one), whose connection it holds
   */
  RedisProbe(Vertx vertx, Supplier<Redis> clients, Clock clock) {
    this.vertx = vertx;
    this.clients = clients;
    this.clock = clock;
    this.state = new State(true, null, clock.instant());
    this.timer = vertx.setPeriodic(EVERY_MILLIS, id -> probe());
  }

  /** Whether Redis answered the last PING, and the probe's connection has not been lost since. */
  public boolean isUp() {
    return state.up();
  }

  /** While down: {@code reason} and {@code since} (ISO-8601); while up, nothing. */
  public Map<String, String> details() {
    State now = state;
    return now.up() ? Map.of() : Map.of("reason", now.reason(), "since", now.since().toString());
  }

  /** One PING, unless the last is still waiting for its answer (its deadline then decides). */
  synchronized void probe() {
    if (probing || closed) {
      return;
    }
    probing = true;
    Future<RedisConnection> held = connection != null ? Future.succeededFuture(connection) : open();
    held.compose(redis -> redis.send(Request.cmd(Command.PING)).map(redis))
        .timeout(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
        .onComplete(done -> {
          if (done.succeeded()) {
            answered();
          } else {
            unanswered(reason(done.cause()));
            // A connection whose PING went unanswered may be half dead: the next probe opens another.
            drop();
          }
          synchronized (this) {
            probing = false;
          }
        });
  }

  private Future<RedisConnection> open() {
    if (client == null) {
      client = clients.get();
    }
    return client.connect().map(redis -> {
      synchronized (this) {
        if (closed) {
          redis.close();
          throw new IllegalStateException("closed");
        }
        connection = redis;
      }
      redis.exceptionHandler(e -> lost(redis, "connection failed: " + message(e)));
      redis.endHandler(ended -> lost(redis, "connection closed"));
      return redis;
    });
  }

  /** The probe's connection closed or failed: Redis is down now, not at the next PING's deadline. */
  private void lost(RedisConnection redis, String reason) {
    synchronized (this) {
      if (connection != redis) {
        return;
      }
      connection = null;
    }
    unanswered(reason);
  }

  /** Lets the connection go with its client: closing a pooled connection would only return it to the pool. */
  private synchronized void drop() {
    connection = null;
    if (client != null) {
      client.close();
      client = null;
    }
  }

  private synchronized void answered() {
    if (!state.up()) {
      state = new State(true, null, clock.instant());
      LOG.info("Redis answers PING again; /health/ready counts it up");
    }
  }

  private synchronized void unanswered(String reason) {
    State before = state;
    if (before.up()) {
      state = new State(false, reason, clock.instant());
      LOG.warn("Redis is down ({}); /health/ready counts it down until it answers PING", reason);
    } else if (!reason.equals(before.reason())) {
      state = new State(false, reason, before.since());
    }
  }

  private static String reason(Throwable cause) {
    if (cause instanceof TimeoutException) {
      return "no answer to PING within " + DEADLINE_MILLIS + " ms";
    }
    return message(cause);
  }

  private static String message(Throwable cause) {
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    vertx.cancelTimer(timer);
    drop();
  }
}
