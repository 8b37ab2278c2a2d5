package io.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.StoreConfig;
import io.gatehouse.soak.FaultRelay;
import io.gatehouse.support.Eventually;
import io.gatehouse.support.LogCapture;
import io.gatehouse.support.RedisServer;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Found by the soak: every idle pooled Redis connection that was reset (a Redis restart, a network
 * blip) wrote an {@code Unhandled Error} line at ERROR from the Redis client's connection manager,
 * though nothing failed: the pool drops the connection and the next command opens another. An
 * operator alerting on ERROR would be paged by every Redis failover; Gatehouse counts and reports
 * Redis outages itself (readiness, {@code gatehouse_redis_up}, its own log line per outage).
 */
class RedisConnectionResetIT {

  private static final String CLIENT_LOGGER = "io.vertx.redis.client.impl.RedisConnectionManager";

  @Test
  void aResetIdleConnectionIsNoErrorAndTheNextCommandWorks() throws Exception {
    URI redis = URI.create(RedisServer.url());
    Vertx vertx = Vertx.vertx();
    try (LogCapture client = new LogCapture(CLIENT_LOGGER);
        FaultRelay relay = new FaultRelay("redis", 0, redis.getHost(), redis.getPort())) {
      RedisConnection connection = RedisConnection.open(vertx, new StoreConfig.RedisConfig(
          "redis://127.0.0.1:" + relay.port(), null, RedisServer.freshPrefix())).await();
      connection.api().ping(List.of()).await(); // leaves a connection idle in the pool

      relay.reset();
      // Real time: nothing logged is an absence, with no event to poll for; the client gets 500 ms to notice.
      Thread.sleep(500);

      assertThat(client.raw()).as("lines of the Redis client's connection manager").isEmpty();
      Eventually.until("the next command, on a new connection", () -> pings(connection), Duration.ofSeconds(2));
      connection.close();
    } finally {
      vertx.close().await();
    }
  }

  /** Whether a PING is answered; the pool may hand out the reset connection once. */
  private static boolean pings(RedisConnection connection) {
    try {
      connection.api().ping(List.of()).await();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
