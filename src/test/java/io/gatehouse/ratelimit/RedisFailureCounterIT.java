package io.gatehouse.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.store.RedisConnection;
import io.gatehouse.store.RedisFailureCounter;
import io.gatehouse.store.RedisPipeline;
import io.gatehouse.support.MutableClock;
import io.gatehouse.support.RedisServer;
import io.vertx.core.Future;
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
 * The shared failure counter on the machine's Redis answers as the in-process one does, step for
 * step, on a fake clock, for one key and for two at once; decides parallel attempts one after
 * another; and admits while Redis cannot answer.
 */
class RedisFailureCounterIT {

  private static final FailureThrottle.Policy POLICY = new FailureThrottle.Policy(3, Duration.ofSeconds(1),
      Duration.ofSeconds(30), Duration.ofMinutes(2));
  private static final FailureThrottle.Policy OTHER = new FailureThrottle.Policy(5, Duration.ofSeconds(2),
      Duration.ofMinutes(1), Duration.ofMinutes(15));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00.456Z"));
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
    RedisServer.deleteKeys(redis.api(), prefix);
    redis.close();
    vertx.close().await();
  }

  @Test
  void answersAsTheInProcessCounterDoesStepForStep() {
    FailureCounter.Factory sharedCounters = RedisFailureCounter.factory(new RedisPipeline(redis::connect), prefix, clock);
    FailureCounter.Factory localCounters = FailureThrottle.factory(clock, 1000);
    FailureCounter sharedA = sharedCounters.create("a", POLICY);
    FailureCounter sharedB = sharedCounters.create("b", OTHER);
    FailureCounter localA = localCounters.create("a", POLICY);
    FailureCounter localB = localCounters.create("b", OTHER);
    Random random = new Random(3);
    for (int i = 0; i < 400; i++) {
      clock.advance(Duration.ofMillis(random.nextInt(random.nextInt(4) == 0 ? 60_000 : 1_500)));
      String key = "k" + random.nextInt(3);
      String other = "o" + random.nextInt(2);
      int op = random.nextInt(10);
      if (op < 4) {
        assertThat(sharedCounters.admit(List.of(new FailureCounter.Attempt(sharedA, key))).await()).as("admit %d", i)
            .isEqualTo(localCounters.admit(List.of(new FailureCounter.Attempt(localA, key))).await());
      } else if (op < 8) {
        assertThat(sharedCounters.admit(List.of(new FailureCounter.Attempt(sharedA, key),
                new FailureCounter.Attempt(sharedB, other))).await()).as("admit both %d", i)
            .isEqualTo(localCounters.admit(List.of(new FailureCounter.Attempt(localA, key),
                new FailureCounter.Attempt(localB, other))).await());
      } else if (op < 9) {
        sharedA.forgive(key).await();
        localA.forgive(key).await();
      } else {
        sharedA.succeeded(key).await();
        localA.succeeded(key).await();
      }
    }
  }

  @Test
  void parallelAttemptsAreCheckedAndCountedOneAfterAnother() {
    FailureCounter.Factory counters = RedisFailureCounter.factory(new RedisPipeline(redis::connect), prefix, clock);
    FailureCounter counter = counters.create("race", POLICY);
    List<Future<FailureCounter.Admission>> racing = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      racing.add(counters.admit(List.of(new FailureCounter.Attempt(counter, "k"))));
    }
    Future.all(racing).await();
    long admitted = racing.stream().filter(f -> f.result().admitted()).count();
    assertThat(admitted).as("the free failures and the one that starts the delay").isEqualTo(POLICY.free() + 1);
  }

  @Test
  void admitsWhileRedisCannotAnswer() {
    Redis nowhere = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:1"));
    try {
      FailureCounter.Factory counters = RedisFailureCounter.factory(new RedisPipeline(nowhere::connect), prefix, clock);
      FailureCounter counter = counters.create("t", POLICY);
      for (int i = 0; i < 10; i++) {
        FailureCounter.Admission admission = counters.admit(List.of(new FailureCounter.Attempt(counter, "k"))).await();
        assertThat(admission.admitted()).isTrue();
        assertThat(admission.delays()).containsExactly(0L);
      }
    } finally {
      nowhere.close();
    }
  }
}
