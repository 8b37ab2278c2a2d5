package io.gatehouse.ratelimit;

import io.gatehouse.store.LuaScript;
import io.gatehouse.store.RedisPipeline;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FailureCounter} every instance shares through Redis: {@link FailureThrottle}'s rules
 * in one Lua script, one record per key under {@code <prefix>:fail:<name>:}, expiring once its
 * failures are forgotten. Failed logins spread over the instances behind a load balancer then
 * count as one. While Redis does not answer (within 500 ms) the counter admits and counts
 * nothing: locking everyone out of logging in would be the worse outage. Thread-safe.
 */
public final class RedisFailureCounter implements FailureCounter {

  private static final Logger LOG = LoggerFactory.getLogger(RedisFailureCounter.class);
  private static final LuaScript SCRIPT = LuaScript.load("failures.lua");

  private final RedisPipeline redis;
  private final String prefix;
  private final FailureThrottle.Policy policy;
  private final Clock clock;

  /** @param clock the time of decisions, or null for Redis's own (production) */
  public RedisFailureCounter(RedisPipeline redis, String prefix, FailureThrottle.Policy policy, Clock clock) {
    this.redis = redis;
    this.prefix = prefix;
    this.policy = policy;
    this.clock = clock;
  }

  /** A factory of counters under {@code <redisPrefix>:fail:<name>}, all pipelined on {@code redis}. */
  public static FailureCounter.Factory factory(RedisPipeline redis, String redisPrefix, Clock clock) {
    return (name, policy) -> new RedisFailureCounter(redis, redisPrefix + ":fail:" + name, policy, clock);
  }

  @Override
  public Future<Long> waitSeconds(String key) {
    return run("wait", key).map(Decision::wholeSeconds);
  }

  @Override
  public Future<Long> attempt(String key) {
    return run("attempt", key).map(Decision::wholeSeconds);
  }

  @Override
  public Future<Void> succeeded(String key) {
    return redis.send(Request.cmd(Command.DEL).arg(prefix + ":" + key)).<Void>mapEmpty()
        .recover(e -> unanswered(e, null));
  }

  @Override
  public Future<Void> forgive(String key) {
    return run("forgive", key).mapEmpty();
  }

  private Future<Long> run(String op, String key) {
    return redis.eval(SCRIPT, List.of(prefix + ":" + key), List.of(op, Integer.toString(policy.free()),
            Long.toString(policy.firstDelay().toMillis()), Long.toString(policy.maxDelay().toMillis()),
            Long.toString(policy.forgetAfter().toMillis()), clock == null ? "" : Long.toString(clock.millis())))
        .map(answer -> answer.toLong())
        .recover(e -> unanswered(e, 0L));
  }

  private static <T> Future<T> unanswered(Throwable e, T admit) {
    LOG.debug("failure counter: Redis did not answer ({}); admitting", e.toString());
    return Future.succeededFuture(admit);
  }
}
