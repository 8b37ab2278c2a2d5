package io.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.config.StoreConfig;
import io.gatehouse.ratelimit.Limit;
import io.gatehouse.ratelimit.LimitKey;
import io.gatehouse.ratelimit.RedisRateLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Redis of the test's own (the machine's redis-server on a free port) stopped and started again
 * under a running subscriber and limiter: announcements resume by themselves after a resync, and
 * rate limits fail open while it is gone and count again once it is back.
 */
class RedisOutageIT {

  @TempDir
  Path dir;
  private Process redis;
  private int port;
  private Vertx vertx;

  @BeforeEach
  void startRedis() throws Exception {
    Path binary = Path.of("/usr/bin/redis-server");
    if (!Files.isExecutable(binary)) {
      if (System.getenv("GATEHOUSE_REQUIRE_SERVICES") != null) {
        throw new IllegalStateException("redis-server is required (GATEHOUSE_REQUIRE_SERVICES)");
      }
      Assumptions.abort("redis-server is not installed");
    }
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    redis = start();
    vertx = Vertx.vertx();
  }

  private Process start() throws Exception {
    Process process = new ProcessBuilder("/usr/bin/redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    awaitTrue(this::answers);
    return process;
  }

  private boolean answers() {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @AfterEach
  void stopRedis() throws Exception {
    if (vertx != null) {
      vertx.close().await();
    }
    if (redis != null) {
      redis.destroyForcibly().waitFor();
    }
  }

  @Test
  void subscriptionAndLimitsComeBackAfterRedisRestarts() throws Exception {
    StoreConfig.RedisConfig config = new StoreConfig.RedisConfig("redis://127.0.0.1:" + port, null, "outage");
    RedisConnection connection = RedisConnection.open(vertx, config).await();
    RedisInvalidations invalidations = RedisInvalidations.start(vertx, connection).await();
    List<String> heard = new CopyOnWriteArrayList<>();
    AtomicInteger resyncs = new AtomicInteger();
    invalidations.on("revoked", heard::add);
    invalidations.onResync(resyncs::incrementAndGet);
    RedisRateLimiter limiter = new RedisRateLimiter(new RedisPipeline(connection::connect), "outage", null, true, new SimpleMeterRegistry());
    Limit two = new Limit(new RateLimitConfig(LimitKey.IP, null, 2, Duration.ofMinutes(1)), "r#0");

    invalidations.publish("revoked", "jti-1 1");
    awaitTrue(() -> heard.contains("jti-1 1"));
    assertThat(limiter.acquire(two, "k").await().admitted()).isTrue();
    assertThat(limiter.acquire(two, "k").await().admitted()).isTrue();
    assertThat(limiter.acquire(two, "k").await().admitted()).isFalse();

    redis.destroyForcibly().waitFor();
    awaitTrue(() -> !invalidations.isSubscribed());
    // Gone: limits fail open (and its counts are gone with it: it kept nothing on disk).
    assertThat(limiter.acquire(two, "k").await().admitted()).isTrue();

    redis = start();
    awaitTrue(invalidations::isSubscribed);
    awaitTrue(() -> resyncs.get() == 1);
    invalidations.publish("revoked", "jti-2 2");
    awaitTrue(() -> heard.contains("jti-2 2"));
    awaitTrue(() -> limiter.acquire(two, "fresh").await().remaining() == 1);
    assertThat(limiter.acquire(two, "fresh").await().admitted()).isTrue();
    assertThat(limiter.acquire(two, "fresh").await().admitted()).isFalse();
    invalidations.close();
    connection.close();
  }

  /** Polls {@code condition} until it holds; fails after 15 s. Waits on another process, not on time. */
  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 15 s");
      }
      LockSupport.parkNanos(20_000_000);
    }
  }
}
