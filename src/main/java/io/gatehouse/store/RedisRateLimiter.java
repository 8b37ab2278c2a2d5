package io.gatehouse.store;

import io.gatehouse.ratelimit.Decision;
import io.gatehouse.ratelimit.Limit;
import io.gatehouse.ratelimit.RateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RateLimiter} every instance shares through Redis: the same sliding window as
 * {@link io.gatehouse.ratelimit.LocalRateLimiter}, kept in one string per limit and key under the
 * deployment's prefix and decided by one Lua script, atomically, whichever instance asks. Time is
 * Redis's own clock, so instances whose clocks differ still count one window. Idle keys expire in
 * Redis once nothing in them counts. Calls are pipelined on one connection of their own
 * ({@link RedisPipeline}).
 *
 * <p>Decisions asked on an event loop are batched: those asked in one turn of the loop go to Redis
 * as one script call once the turn's reads are done (at most {@link #MAX_BATCH} to a call), and
 * are answered on that loop together. Each is still decided on its own, in the order asked, inside
 * one atomic script, so a limit of N admits N in all however the requests of all instances fall
 * into batches; what a batch saves is Redis's per-call work (a script run, a read and a write per
 * key instead of per request) and a thread hop per request. Batch sizes are recorded in
 * {@code gatehouse_ratelimit_batch_decisions}.
 *
 * <p>While Redis cannot answer (within {@link RedisPipeline#DEADLINE_MILLIS}), requests are admitted
 * ({@code rate_limits.fail_open}, the default) or refused with 503; either way counted in
 * {@code gatehouse_ratelimit_store_failures_total} and logged once per outage. Thread-safe.
 */
public final class RedisRateLimiter implements RateLimiter {

  /** Most decisions sent in one script call: bounds how long one call keeps Redis busy (about 2 µs each). */
  static final int MAX_BATCH = 128;
  private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);
  private static final LuaScript SCRIPT = LuaScript.load("sliding-window.lua");

  private final RedisPipeline redis;
  private final String prefix;
  private final Clock clock;
  private final boolean failOpen;
  private final RedisOutage outage;
  private final DistributionSummary batchSizes;
  private final Map<EventLoop, Batch> batches = new ConcurrentHashMap<>();

  /**
   * @param redis the connection decisions are pipelined on, the limiter's own
   * @param prefix the deployment's key prefix ({@code store.redis.prefix})
   * @param clock the time decisions are made at, or null for Redis's own (production): a test's fake clock
   */
  public RedisRateLimiter(RedisPipeline redis, String prefix, Clock clock, boolean failOpen, MeterRegistry registry) {
    this.redis = redis;
    this.prefix = prefix;
    this.clock = clock;
    this.failOpen = failOpen;
    this.outage = new RedisOutage(LOG, "rate limits", failOpen ? "admitting requests" : "refusing requests with 503",
        Counter.builder("gatehouse.ratelimit.store.failures")
            .description("Rate-limit decisions Redis did not answer in time "
                + "(admitted or refused per rate_limits.fail_open)")
            .register(registry));
    this.batchSizes = DistributionSummary.builder("gatehouse.ratelimit.batch.decisions")
        .description("Rate-limit decisions sent to Redis in one call")
        .register(registry);
  }

  /** Decides at once, in a call of its own. */
  @Override
  public Future<Decision> acquire(Limit limit, String key) {
    Pending one = new Pending(limit, redisKey(limit, key));
    send(List.of(one)).onComplete(one::complete);
    return one.promise.future();
  }

  /** Decides with the other decisions asked in this turn of {@code loop}; answered on {@code loop}. */
  @Override
  public Future<Decision> acquire(Limit limit, String key, EventLoop loop) {
    if (!loop.inEventLoop()) {
      return acquire(limit, key);
    }
    return batches.computeIfAbsent(loop, Batch::new).add(new Pending(limit, redisKey(limit, key)));
  }

  /** {@code <prefix>:rl:<limit>:<key>}: one limit's keys apart from another's, whatever they hold. */
  private String redisKey(Limit limit, String key) {
    return prefix + ":rl:" + limit.shortId() + ":" + key;
  }

  /**
   * One script call deciding {@code pending} in order; its span (with tracing export on) is under
   * the first of their exchanges that is sampled.
   */
  private Future<ByteBuffer> send(List<Pending> pending) {
    Map<String, Integer> keyIndex = new HashMap<>();
    List<String> keys = new ArrayList<>();
    List<String> args = new ArrayList<>();
    args.add(clock == null ? "" : Long.toString(clock.millis()));
    StringBuilder decisions = new StringBuilder(3 * pending.size());
    args.add(null); // the decisions, once known
    for (Pending p : pending) {
      Integer index = keyIndex.get(p.key);
      if (index == null) {
        keys.add(p.key);
        index = keys.size();
        keyIndex.put(p.key, index);
        args.add(Long.toString(p.limit.slotMillis()));
        args.add(Integer.toString(Limit.SLOTS + 1));
        args.add(Integer.toString(p.limit.requests()));
        args.add(Long.toString(p.limit.perMillis()));
      }
      decisions.append(decisions.isEmpty() ? "" : ",").append(index);
    }
    args.set(1, decisions.toString());
    batchSizes.record(pending.size());
    try (Scope scope = tracedUnder(pending).makeCurrent()) {
      return redis.eval(SCRIPT, keys, args).map(answer -> {
        byte[] bytes = answer.toBytes();
        if (bytes == null || bytes.length != 16 * pending.size()) {
          throw new IllegalStateException("the rate-limit script answered " + (bytes == null ? "nothing" : bytes.length
              + " bytes") + " for " + pending.size() + " decisions");
        }
        outage.answered();
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      });
    }
  }

  private static Context tracedUnder(List<Pending> pending) {
    for (Pending p : pending) {
      if (Span.fromContext(p.context).isRecording()) {
        return p.context;
      }
    }
    return Context.root();
  }

  /** Decision {@code at} (counted from 0) of a batch's answer: four little-endian 32-bit numbers each. */
  private static Decision decision(Limit limit, ByteBuffer answer, int at) {
    int from = 16 * at;
    boolean admitted = answer.getInt(from) == 1;
    long reset = Decision.wholeSeconds(answer.getInt(from + 8));
    long retry = Decision.wholeSeconds(answer.getInt(from + 12));
    return new Decision(limit, admitted, answer.getInt(from + 4), reset, admitted ? 0 : Math.max(retry, 1));
  }

  /** What a decision Redis did not answer comes to: admitted, or a 503 (per {@code fail_open}). */
  private AsyncResult<Decision> unanswered(Limit limit, Throwable cause) {
    outage.unanswered(cause);
    if (failOpen) {
      return Future.succeededFuture(new Decision(limit, true, limit.requests(), 0, 0));
    }
    return Future.failedFuture(new StoreUnavailable("Rate limits cannot be checked right now; try again shortly.", 1));
  }

  /** A decision asked and not yet answered, with the tracing context it was asked in. */
  private final class Pending {
    final Limit limit;
    final String key;
    final Context context = Context.current();
    final Promise<Decision> promise = Promise.promise();
    /** Its place in its batch. */
    int at;

    Pending(Limit limit, String key) {
      this.limit = limit;
      this.key = key;
    }

    /** Completes from this decision's part of its batch's answer, in the context it was asked in. */
    void complete(AsyncResult<ByteBuffer> batch) {
      AsyncResult<Decision> decided = batch.succeeded()
          ? Future.succeededFuture(decision(limit, batch.result(), at)) : unanswered(limit, batch.cause());
      try (Scope scope = context.makeCurrent()) {
        promise.handle(decided);
      }
    }
  }

  /**
   * The decisions asked on one event loop since its last call went out. Touched only on that loop:
   * added to as stages ask, and sent by a task the first addition schedules, which the loop runs
   * after the reads of its turn.
   */
  private final class Batch implements Runnable {
    private final EventLoop loop;
    private List<Pending> pending = new ArrayList<>();

    Batch(EventLoop loop) {
      this.loop = loop;
    }

    Future<Decision> add(Pending p) {
      p.at = pending.size();
      pending.add(p);
      if (pending.size() == 1) {
        loop.execute(this);
      } else if (pending.size() == MAX_BATCH) {
        run();
      }
      return p.promise.future();
    }

    @Override
    public void run() {
      if (pending.isEmpty()) {
        return; // sent already, full, before this task ran
      }
      List<Pending> sent = pending;
      pending = new ArrayList<>();
      send(sent).onComplete(answered -> {
        if (loop.inEventLoop()) {
          sent.forEach(p -> p.complete(answered));
        } else {
          loop.execute(() -> sent.forEach(p -> p.complete(answered)));
        }
      });
    }
  }
}
