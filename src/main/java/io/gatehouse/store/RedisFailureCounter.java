package io.gatehouse.store;

import io.gatehouse.ratelimit.Decision;
import io.gatehouse.ratelimit.FailureCounter;
import io.gatehouse.ratelimit.FailureThrottle;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FailureCounter} every instance shares through Redis: {@link FailureThrottle}'s rules
 * in one Lua script, one record per key under {@code <prefix>:fail:<name>:}, expiring once its
 * failures are forgotten. A throttle decision over several keys is one script, so parallel
 * guesses spread over the instances behind a load balancer are checked and counted one after
 * another, as one. While Redis does not answer (within 500 ms) the counter admits and counts
 * nothing: locking everyone out of logging in would be the worse outage. Thread-safe.
 */
public final class RedisFailureCounter implements FailureCounter {

  private static final Logger LOG = LoggerFactory.getLogger(RedisFailureCounter.class);
  private static final LuaScript SCRIPT = LuaScript.load("failures.lua");

  private final RedisPipeline redis;
  private final String prefix;
  private final FailureThrottle.Policy policy;
  private final Clock clock;

  private RedisFailureCounter(RedisPipeline redis, String prefix, FailureThrottle.Policy policy, Clock clock) {
    this.redis = redis;
    this.prefix = prefix;
    this.policy = policy;
    this.clock = clock;
  }

  /**
   * Counters under {@code <redisPrefix>:fail:<name>}, all pipelined on {@code redis}.
   *
   * @param clock the time of decisions, or null for Redis's own (production)
   */
  public static FailureCounter.Factory factory(RedisPipeline redis, String redisPrefix, Clock clock) {
    return new FailureCounter.Factory() {
      @Override
      public FailureCounter create(String name, FailureThrottle.Policy policy) {
        return new RedisFailureCounter(redis, redisPrefix + ":fail:" + name, policy, clock);
      }

      @Override
      public Future<Admission> admit(List<Attempt> attempts) {
        List<String> keys = new ArrayList<>(attempts.size());
        List<String> args = new ArrayList<>(List.of("admit", now(clock)));
        for (Attempt attempt : attempts) {
          if (!(attempt.counter() instanceof RedisFailureCounter counter)) {
            throw new IllegalArgumentException("not a counter of this factory");
          }
          keys.add(counter.prefix + ":" + attempt.key());
          counter.policyArgs(args);
        }
        return redis.eval(SCRIPT, keys, args).map(RedisFailureCounter::admission)
            .recover(e -> unanswered(e, Admission.counted(attempts.stream().map(a -> 0L).toList())));
      }
    };
  }

  private static Admission admission(Response answer) {
    int waiting = answer.get(0).toInteger();
    if (waiting > 0) {
      return Admission.refused(waiting - 1, Decision.wholeSeconds(answer.get(1).toLong()));
    }
    List<Long> delays = new ArrayList<>(answer.size() - 2);
    for (int i = 2; i < answer.size(); i++) {
      delays.add(Decision.wholeSeconds(answer.get(i).toLong()));
    }
    return Admission.counted(delays);
  }

  @Override
  public Future<Void> succeeded(String key) {
    return redis.send(Request.cmd(Command.DEL).arg(prefix + ":" + key)).<Void>mapEmpty()
        .recover(e -> unanswered(e, null));
  }

  @Override
  public Future<Void> forgive(String key) {
    List<String> args = new ArrayList<>(List.of("forgive", now(clock)));
    policyArgs(args);
    return redis.eval(SCRIPT, List.of(prefix + ":" + key), args).<Void>mapEmpty().recover(e -> unanswered(e, null));
  }

  private void policyArgs(List<String> args) {
    args.add(Integer.toString(policy.free()));
    args.add(Long.toString(policy.firstDelay().toMillis()));
    args.add(Long.toString(policy.maxDelay().toMillis()));
    args.add(Long.toString(policy.forgetAfter().toMillis()));
  }

  private static String now(Clock clock) {
    return clock == null ? "" : Long.toString(clock.millis());
  }

  private static <T> Future<T> unanswered(Throwable e, T admit) {
    LOG.debug("failure counter: Redis did not answer ({}); admitting", e.toString());
    return Future.succeededFuture(admit);
  }
}
