package io.gatehouse.ratelimit;

import io.gatehouse.config.LimitKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.store.StoreUnavailable;
import io.gatehouse.store.RedisConnection;
import io.gatehouse.store.RedisPipeline;
import io.gatehouse.store.RedisRateLimiter;
import io.gatehouse.support.AllAtOnce;
import io.gatehouse.support.MutableClock;
import io.gatehouse.support.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared limiter on the machine's Redis: decision for decision the same answers as the
 * in-process one (one Lua script, the same sliding window), exact under concurrent callers, and
 * what it does while Redis cannot answer. Time comes from a fake clock passed to the script.
 */
class RedisRateLimiterIT {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00.123Z"));
  private Vertx vertx;
  private RedisConnection redis;
  private String prefix;

  @BeforeEach
  void connect() {
    vertx = Vertx.vertx();
    prefix = RedisServer.freshPrefix();
    redis = RedisConnection.open(vertx, RedisServer.config(prefix)).await();
  }

  @AfterEach
  void disconnect() {
    if (redis != null) {
      RedisServer.deleteKeys(redis.api(), prefix);
      redis.close();
    }
    vertx.close().await();
  }

  private RedisRateLimiter limiter(boolean failOpen) {
    return new RedisRateLimiter(new RedisPipeline(redis::connect), prefix, clock, failOpen, new SimpleMeterRegistry());
  }

  private static Limit limit(int requests, Duration per) {
    return new Limit(new RateLimitConfig(LimitKey.IP, null, requests, per), "test#0");
  }

  @Test
  void answersAsTheInProcessLimiterDoesDecisionForDecision() {
    Random random = new Random(5);
    RedisRateLimiter shared = limiter(true);
    LocalRateLimiter local = new LocalRateLimiter(clock, 1000, new SimpleMeterRegistry());
    for (int round = 0; round < 6; round++) {
      Limit l = limit(1 + random.nextInt(12), Duration.ofSeconds(1 + random.nextInt(4)));
      for (int i = 0; i < 300; i++) {
        clock.advance(Duration.ofMillis(random.nextInt(random.nextBoolean() ? 5 : 500)));
        Decision expected = local.decide(l, "k" + round);
        Decision got = shared.acquire(l, "k" + round).await();
        assertThat(got).as("decision %d of round %d", i, round).isEqualTo(expected);
      }
    }
  }

  @Test
  void exactUnderConcurrentCallers() throws Exception {
    RedisRateLimiter shared = limiter(true);
    Limit l = limit(50, Duration.ofMinutes(1));
    int admitted = AllAtOnce.count(4, 40, () -> shared.acquire(l, "shared").await().admitted());
    assertThat(admitted).isEqualTo(50);
  }

  @Test
  void idleKeysExpireInRedisByThemselves() {
    RedisRateLimiter shared = limiter(true);
    Limit l = limit(3, Duration.ofSeconds(10));
    shared.acquire(l, "203.0.113.7").await();
    List<String> keys = new ArrayList<>();
    redis.api().keys(prefix + ":rl:*").await().forEach(k -> keys.add(k.toString()));
    assertThat(keys).singleElement().asString().startsWith(prefix + ":rl:").endsWith(":203.0.113.7");
    long ttl = redis.api().pttl(keys.get(0)).await().toLong();
    assertThat(ttl).isBetween(1L, 12_000L);
  }

  @Test
  void whileRedisCannotAnswerRequestsAreAdmittedOrRefusedAsConfigured() {
    Redis nowhere = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:1"));
    try {
      Limit l = limit(1, Duration.ofSeconds(10));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      RedisRateLimiter open = new RedisRateLimiter(new RedisPipeline(nowhere::connect), prefix, clock, true, registry);
      assertThat(open.acquire(l, "k").await().admitted()).isTrue();
      assertThat(open.acquire(l, "k").await().admitted()).isTrue();
      assertThat(registry.get("gatehouse.ratelimit.store.failures").counter().count()).isEqualTo(2);
      RedisRateLimiter closed = new RedisRateLimiter(new RedisPipeline(nowhere::connect), prefix, clock, false,
          new SimpleMeterRegistry());
      Throwable refused = closed.acquire(l, "k").<Throwable>map(d -> null).otherwise(e -> e).await();
      assertThat(refused).isInstanceOfSatisfying(StoreUnavailable.class,
          unavailable -> assertThat(unavailable.retryAfterSeconds()).isEqualTo(1));
    } finally {
      nowhere.close();
    }
  }
}
