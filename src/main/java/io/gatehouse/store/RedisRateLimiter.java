package io.gatehouse.store;

import io.gatehouse.ratelimit.Decision;
import io.gatehouse.ratelimit.Limit;
import io.gatehouse.ratelimit.RateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RateLimiter} every instance shares through Redis: the same sliding window as
 * {@link LocalRateLimiter}, kept in one string per limit and key under the deployment's prefix and
 * decided by one Lua script in one round trip, atomically, whichever instance asks. Time is
 * Redis's own clock, so instances whose clocks differ still count one window. Idle keys expire
 * in Redis once nothing in them counts. Decisions are pipelined on one connection of their own
 * ({@link RedisPipeline}).
 *
 * <p>While Redis cannot answer (within {@link RedisPipeline#DEADLINE_MILLIS}), requests are admitted
 * ({@code rate_limits.fail_open}, the default) or refused with 503; either way counted in
 * {@code gatehouse_ratelimit_store_failures_total} and logged once per outage. Thread-safe.
 */
public final class RedisRateLimiter implements RateLimiter {

  private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);
  private static final LuaScript SCRIPT = LuaScript.load("sliding-window.lua");

  private final RedisPipeline redis;
  private final String prefix;
  private final Clock clock;
  private final boolean failOpen;
  private final RedisOutage outage;

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
  }

  @Override
  public Future<Decision> acquire(Limit limit, String key) {
    return redis.eval(SCRIPT, List.of(redisKey(limit, key)), List.of(Long.toString(limit.slotMillis()),
            Integer.toString(Limit.SLOTS + 1), Integer.toString(limit.requests()),
            clock == null ? "" : Long.toString(clock.millis()), Long.toString(limit.perMillis())))
        .map(answer -> decision(limit, answer))
        .recover(e -> unanswered(limit, e));
  }

  /** {@code <prefix>:rl:<limit>:<key>}: one limit's keys apart from another's, whatever they hold. */
  private String redisKey(Limit limit, String key) {
    return prefix + ":rl:" + limit.shortId() + ":" + key;
  }

  private Decision decision(Limit limit, Response answer) {
    outage.answered();
    boolean admitted = answer.get(0).toInteger() == 1;
    long reset = Decision.wholeSeconds(answer.get(2).toLong());
    long retry = Decision.wholeSeconds(answer.get(3).toLong());
    return new Decision(limit, admitted, answer.get(1).toInteger(), reset, admitted ? 0 : Math.max(retry, 1));
  }

  private Future<Decision> unanswered(Limit limit, Throwable cause) {
    outage.unanswered(cause);
    if (failOpen) {
      return Future.succeededFuture(new Decision(limit, true, limit.requests(), 0, 0));
    }
    return Future.failedFuture(new StoreUnavailable("Rate limits cannot be checked right now; try again shortly.", 1));
  }
}
