package io.gatehouse.ratelimit;

import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RateLimiter} every instance shares through Redis: the same sliding window as
 * {@link LocalRateLimiter}, kept in one string per limit and key under the deployment's prefix and
 * decided by one Lua script in one round trip, atomically, whichever instance asks. Time is
 * Redis's own clock, so instances whose clocks differ still count one window. Idle keys expire
 * in Redis once nothing in them counts. Decisions are pipelined on one connection of their own
 * (a pool would hold a connection per decision in flight and hand each back and forth); a lost
 * connection is replaced, at most once a second.
 *
 * <p>While Redis cannot answer (within {@link #DEADLINE_MILLIS}), requests are admitted
 * ({@code rate_limits.fail_open}, the default) or refused with 503; either way counted in
 * {@code gatehouse_ratelimit_store_failures_total} and logged once per outage. Thread-safe.
 */
public final class RedisRateLimiter implements RateLimiter {

  private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);
  /** How long a decision may wait for Redis before the limiter gives up on it. */
  static final long DEADLINE_MILLIS = 500;
  private static final String SCRIPT = LuaScript.load("sliding-window.lua");
  private static final String SHA = sha1(SCRIPT);

  private static final long RECONNECT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Supplier<Future<RedisConnection>> connect;
  private final String prefix;
  private final Clock clock;
  private final boolean failOpen;
  private final Map<Limit, String> limitIds = new ConcurrentHashMap<>();
  private final AtomicBoolean failing = new AtomicBoolean();
  private final Counter failures;
  /** The connection decisions go on: connected, connecting, or failed (then replaced after a second). */
  private volatile Future<RedisConnection> connection;
  private volatile long connectedAt;

  /**
   * @param connect opens a connection to Redis (one, kept for pipelining)
   * @param prefix the deployment's key prefix ({@code store.redis.prefix})
   * @param clock the time decisions are made at, or null for Redis's own (production): a test's fake clock
   */
  public RedisRateLimiter(Supplier<Future<RedisConnection>> connect, String prefix, Clock clock, boolean failOpen,
      MeterRegistry registry) {
    this.connect = connect;
    this.prefix = prefix;
    this.clock = clock;
    this.failOpen = failOpen;
    this.failures = Counter.builder("gatehouse.ratelimit.store.failures")
        .description("Rate-limit decisions Redis did not answer in time (admitted or refused per rate_limits.fail_open)")
        .register(registry);
  }

  @Override
  public Future<Decision> acquire(Limit limit, String key) {
    String redisKey = redisKey(limit, key);
    String slot = Long.toString(limit.slotMillis());
    String max = Integer.toString(limit.requests());
    String now = clock == null ? "" : Long.toString(clock.millis());
    return connection()
        .compose(redis -> redis.send(script(Command.EVALSHA, SHA, redisKey, slot, max, now))
            .recover(e -> e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")
                ? redis.send(script(Command.EVAL, SCRIPT, redisKey, slot, max, now)) : Future.failedFuture(e)))
        .timeout(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
        .map(answer -> decision(limit, answer))
        .recover(e -> unanswered(limit, e));
  }

  private static Request script(Command command, String script, String key, String slot, String max, String now) {
    return Request.cmd(command).arg(script).arg(1).arg(key).arg(slot).arg(Limit.SLOTS + 1).arg(max).arg(now);
  }

  /** The current connection; a new one when there is none or it failed more than a second ago. */
  private Future<RedisConnection> connection() {
    Future<RedisConnection> current = connection;
    if (current != null && (!current.failed() || System.nanoTime() - connectedAt < RECONNECT_NANOS)) {
      return current;
    }
    synchronized (this) {
      current = connection;
      if (current == null || current.failed() && System.nanoTime() - connectedAt >= RECONNECT_NANOS) {
        connectedAt = System.nanoTime();
        current = connect.get().andThen(opened -> {
          if (opened.succeeded()) {
            RedisConnection redis = opened.result();
            redis.exceptionHandler(e -> lost(redis));
            redis.endHandler(ended -> lost(redis));
          }
        });
        connection = current;
      }
      return current;
    }
  }

  /** The connection is gone: the next decision opens another. */
  private synchronized void lost(RedisConnection redis) {
    Future<RedisConnection> current = connection;
    if (current != null && current.succeeded() && current.result() == redis) {
      connection = null;
    }
  }

  /** {@code <prefix>:rl:<limit>:<key>}: one limit's keys apart from another's, whatever they hold. */
  private String redisKey(Limit limit, String key) {
    return prefix + ":rl:" + limitIds.computeIfAbsent(limit, l -> sha1(l.id()).substring(0, 12)) + ":" + key;
  }

  private Decision decision(Limit limit, Response answer) {
    if (failing.compareAndSet(true, false)) {
      LOG.info("rate limits: Redis answers again");
    }
    boolean admitted = answer.get(0).toInteger() == 1;
    long reset = Decision.wholeSeconds(answer.get(2).toLong());
    long retry = Decision.wholeSeconds(answer.get(3).toLong());
    return new Decision(limit, admitted, answer.get(1).toInteger(), reset, admitted ? 0 : Math.max(retry, 1));
  }

  private Future<Decision> unanswered(Limit limit, Throwable cause) {
    failures.increment();
    if (failing.compareAndSet(false, true)) {
      LOG.warn("rate limits: Redis does not answer ({}); {} until it does", cause.toString(),
          failOpen ? "admitting requests" : "refusing requests with 503");
    }
    if (failOpen) {
      return Future.succeededFuture(new Decision(limit, true, limit.requests(), 0, 0));
    }
    return Future.failedFuture(new ProblemException(Problem.UNAVAILABLE.withDetail(
        "Rate limits cannot be checked right now; try again shortly."), 1));
  }



  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
