package io.gatehouse.store;

import io.gatehouse.http.ChildSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Commands to Redis pipelined on one connection of their own: a pool would hold a connection per
 * command in flight and hand each back and forth, which halved the shared limiter's throughput.
 * A lost connection is replaced by the next command, at most once a second. Every command has
 * {@link #DEADLINE_MILLIS} to be answered. With tracing export on, a command a request waits on is
 * a client span under it, named by the command ({@code HMGET}) or, for a script, by the script's
 * file ({@code sliding-window.lua}), with {@code db.system.name=redis} and never a key or an
 * argument. Thread-safe.
 */
public final class RedisPipeline {

  /** How long a command may wait for Redis before its caller gives up on it. */
  public static final long DEADLINE_MILLIS = 500;
  private static final long RECONNECT_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final Attributes SPAN_ATTRIBUTES = Attributes.of(AttributeKey.stringKey("db.system.name"), "redis");

  private final Supplier<Future<RedisConnection>> connect;
  private final ChildSpans spans;
  /** The connection commands go on: connected, connecting, or failed (then replaced after a second). */
  private final AtomicReference<Future<RedisConnection>> connection = new AtomicReference<>();
  private volatile long connectedAt;

  /** @param connect opens a connection to Redis (one, kept for pipelining) */
  public RedisPipeline(Supplier<Future<RedisConnection>> connect) {
    this(connect, ChildSpans.NONE);
  }

  /**
   * @param connect opens a connection to Redis (one, kept for pipelining)
   * @param spans where the commands' spans start (recording nothing with tracing export off)
   */
  public RedisPipeline(Supplier<Future<RedisConnection>> connect, ChildSpans spans) {
    this.connect = connect;
    this.spans = spans;
  }

  /** Sends {@code request}; fails when Redis does not answer within the deadline. */
  public Future<Response> send(Request request) {
    return spans.traced(request.command().toString(), SpanKind.CLIENT, SPAN_ATTRIBUTES, () -> connection()
        .compose(redis -> redis.send(request)).timeout(DEADLINE_MILLIS, TimeUnit.MILLISECONDS));
  }

  /**
   * Runs {@code script} by its SHA-1, and whole when Redis does not have it yet (a restart or a
   * flush forgets it); fails when Redis does not answer within the deadline.
   */
  public Future<Response> eval(LuaScript script, List<String> keys, List<String> args) {
    return spans.traced(script.name(), SpanKind.CLIENT, SPAN_ATTRIBUTES, () -> connection()
        .compose(redis -> redis.send(script.bySha(keys, args))
            .recover(e -> e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")
                ? redis.send(script.whole(keys, args)) : Future.failedFuture(e)))
        .timeout(DEADLINE_MILLIS, TimeUnit.MILLISECONDS));
  }

  /** The current connection; a new one when there is none or it failed more than a second ago. */
  private Future<RedisConnection> connection() {
    Future<RedisConnection> current = connection.get();
    if (current != null && (!current.failed() || System.nanoTime() - connectedAt < RECONNECT_NANOS)) {
      return current;
    }
    synchronized (this) {
      current = connection.get();
      if (current == null || current.failed() && System.nanoTime() - connectedAt >= RECONNECT_NANOS) {
        connectedAt = System.nanoTime();
        current = connect.get().andThen(opened -> {
          if (opened.succeeded()) {
            RedisConnection redis = opened.result();
            redis.exceptionHandler(e -> lost(redis));
            redis.endHandler(ended -> lost(redis));
          }
        });
        connection.set(current);
      }
      return current;
    }
  }

  /**
   * The connection is gone: the next command opens another. Called by the Redis client while it
   * holds its connection's lock, so it takes no lock of ours (a thread closing us while holding one
   * would wait for the client's: a deadlock seen in a test run).
   */
  private void lost(RedisConnection redis) {
    Future<RedisConnection> current = connection.get();
    if (current != null && current.succeeded() && current.result() == redis) {
      connection.compareAndSet(current, null);
    }
  }

  /** Closes the connection, if one is open; outside any lock of ours, for the reason {@link #lost} says. */
  public void close() {
    Future<RedisConnection> current = connection.getAndSet(null);
    if (current != null && current.succeeded()) {
      current.result().close();
    }
  }
}
