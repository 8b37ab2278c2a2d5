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
import io.micrometer.core.instrument.DistributionSummary;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
  void decisionsAskedInOneTurnOfAnEventLoopGoInOneCallAndAnswerAsIfAskedOneByOne() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RedisRateLimiter shared = new RedisRateLimiter(new RedisPipeline(redis::connect), prefix, clock, true, registry);
    LocalRateLimiter local = new LocalRateLimiter(clock, 1000, new SimpleMeterRegistry());
    Limit three = limit(3, Duration.ofSeconds(10));
    Limit five = limit(5, Duration.ofSeconds(2));
    List<Limit> limits = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      limits.add(i % 3 == 0 ? five : three);
      keys.add("k" + (i % 4));
    }
    EventLoop loop = ((VertxInternal) vertx).nettyEventLoopGroup().next();
    List<Future<Decision>> asked = loop.submit(() -> {
      List<Future<Decision>> futures = new ArrayList<>();
      for (int i = 0; i < limits.size(); i++) {
        futures.add(shared.acquire(limits.get(i), keys.get(i), loop));
      }
      return futures;
    }).get(5, TimeUnit.SECONDS);
    for (int i = 0; i < limits.size(); i++) {
      Decision expected = local.decide(limits.get(i), keys.get(i));
      assertThat(asked.get(i).await()).as("decision %d", i).isEqualTo(expected);
    }
    DistributionSummary batches = registry.get("gatehouse.ratelimit.batch.decisions").summary();
    assertThat(batches.count()).isEqualTo(1);
    assertThat(batches.max()).isEqualTo(40);
  }

  @Test
  void aBatchIsCutAtItsLargestAndEveryDecisionIsAnsweredOnTheLoopThatAsked() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RedisRateLimiter shared = new RedisRateLimiter(new RedisPipeline(redis::connect), prefix, clock, true, registry);
    Limit l = limit(1000, Duration.ofMinutes(1));
    EventLoop loop = ((VertxInternal) vertx).nettyEventLoopGroup().next();
    int asked = 3 * 128 + 5;
    List<Future<Boolean>> onLoop = loop.submit(() -> {
      List<Future<Boolean>> futures = new ArrayList<>();
      for (int i = 0; i < asked; i++) {
        futures.add(shared.acquire(l, "k", loop).map(d -> loop.inEventLoop() && d.admitted()));
      }
      return futures;
    }).get(5, TimeUnit.SECONDS);
    assertThat(onLoop).allSatisfy(answered -> assertThat(answered.await()).isTrue());
    DistributionSummary batches = registry.get("gatehouse.ratelimit.batch.decisions").summary();
    assertThat(batches.count()).isEqualTo(4);
    assertThat(batches.totalAmount()).isEqualTo(asked);
    assertThat(shared.acquire(l, "k").await().remaining()).isEqualTo(1000 - asked - 1);
  }

  @Test
  void exactWhenTwoInstancesBatchOnSeveralLoopsAtOnce() throws Exception {
    RedisRateLimiter a = limiter(true);
    RedisRateLimiter b = limiter(true);
    Limit l = limit(50, Duration.ofMinutes(1));
    List<Future<Decision>> all = new ArrayList<>();
    List<java.util.concurrent.Future<List<Future<Decision>>>> turns = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int n = 0; n < 4; n++) {
      EventLoop loop = ((VertxInternal) vertx).nettyEventLoopGroup().next();
      RedisRateLimiter instance = n % 2 == 0 ? a : b;
      turns.add(loop.submit(() -> {
        go.await();
        List<Future<Decision>> futures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          futures.add(instance.acquire(l, "shared", loop));
        }
        return futures;
      }));
    }
    go.countDown();
    for (var turn : turns) {
      all.addAll(turn.get(5, TimeUnit.SECONDS));
    }
    assertThat(all.stream().filter(d -> d.await().admitted()).count()).isEqualTo(50);
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
  void whileRedisCannotAnswerRequestsAreAdmittedOrRefusedAsConfigured() throws Exception {
    Redis nowhere = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:1"));
    try {
      Limit l = limit(1, Duration.ofSeconds(10));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      RedisRateLimiter open = new RedisRateLimiter(new RedisPipeline(nowhere::connect), prefix, clock, true, registry);
      assertThat(open.acquire(l, "k").await().admitted()).isTrue();
      assertThat(open.acquire(l, "k").await().admitted()).isTrue();
      EventLoop loop = ((VertxInternal) vertx).nettyEventLoopGroup().next();
      Future<Decision> batched = loop.submit(() -> open.acquire(l, "k", loop)).get(5, TimeUnit.SECONDS);
      assertThat(batched.await().admitted()).isTrue();
      assertThat(registry.get("gatehouse.ratelimit.store.failures").counter().count()).isEqualTo(3);
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
