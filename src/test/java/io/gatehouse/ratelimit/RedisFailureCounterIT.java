package io.gatehouse.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.store.RedisConnection;
import io.gatehouse.store.RedisPipeline;
import io.gatehouse.support.MutableClock;
import io.gatehouse.support.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared failure counter on the machine's Redis answers as the in-process one does, step for
 * step, on a fake clock; and admits while Redis cannot answer.
 */
class RedisFailureCounterIT {

  private static final FailureThrottle.Policy POLICY = new FailureThrottle.Policy(3, Duration.ofSeconds(1),
      Duration.ofSeconds(30), Duration.ofMinutes(2));

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
    FailureCounter shared = RedisFailureCounter.factory(new RedisPipeline(redis::connect), prefix, clock).create("t", POLICY);
    FailureCounter local = new FailureThrottle(POLICY, clock, 1000);
    Random random = new Random(3);
    for (int i = 0; i < 400; i++) {
      clock.advance(Duration.ofMillis(random.nextInt(random.nextInt(4) == 0 ? 60_000 : 1_500)));
      String key = "k" + random.nextInt(3);
      int op = random.nextInt(10);
      if (op < 6) {
        assertThat(shared.attempt(key).await()).as("attempt %d", i).isEqualTo(local.attempt(key).await());
      } else if (op < 8) {
        assertThat(shared.waitSeconds(key).await()).as("wait %d", i).isEqualTo(local.waitSeconds(key).await());
      } else if (op < 9) {
        shared.forgive(key).await();
        local.forgive(key).await();
      } else {
        shared.succeeded(key).await();
        local.succeeded(key).await();
      }
      assertThat(shared.waitSeconds(key).await()).as("after step %d", i).isEqualTo(local.waitSeconds(key).await());
    }
  }

  @Test
  void admitsWhileRedisCannotAnswer() {
    Redis nowhere = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:1"));
    try {
      FailureCounter counter = RedisFailureCounter.factory(new RedisPipeline(nowhere::connect), prefix, clock)
          .create("t", POLICY);
      for (int i = 0; i < 10; i++) {
        assertThat(counter.attempt("k").await()).isZero();
      }
      assertThat(counter.waitSeconds("k").await()).isZero();
    } finally {
      nowhere.close();
    }
  }
}
