package io.gatehouse.support;

import io.gatehouse.config.StoreConfig;
import io.vertx.redis.client.RedisAPI;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's Redis (127.0.0.1:6379, or {@code GATEHOUSE_TEST_REDIS} as host:port), with a key
 * prefix of its own per test run so runs never see each other's keys. Skips the test when Redis
 * cannot be reached, unless {@code GATEHOUSE_REQUIRE_SERVICES} is set (as in CI), where it fails.
 */
public final class RedisServer {

  private static final String SERVER = System.getenv().getOrDefault("GATEHOUSE_TEST_REDIS", "127.0.0.1:6379");

  private RedisServer() {
  }

  /** Redis's URL, once it is known to answer. */
  public static String url() {
    int colon = SERVER.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(SERVER.substring(0, colon), Integer.parseInt(SERVER.substring(colon + 1))),
          2000);
    } catch (IOException e) {
      if (System.getenv("GATEHOUSE_REQUIRE_SERVICES") != null) {
        throw new IllegalStateException("Redis at " + SERVER + " is required (GATEHOUSE_REQUIRE_SERVICES)", e);
      }
      Assumptions.abort("Redis at " + SERVER + " is not reachable");
    }
    return "redis://" + SERVER;
  }

  /** A prefix no other run uses. */
  public static String freshPrefix() {
    return "gh-test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Deletes every key under {@code prefix}, so a run leaves nothing behind. */
  public static void deleteKeys(RedisAPI redis, String prefix) {
    List<String> keys = new ArrayList<>();
    redis.keys(prefix + ":*").await().forEach(key -> keys.add(key.toString()));
    if (!keys.isEmpty()) {
      redis.del(keys).await();
    }
  }

  public static StoreConfig.RedisConfig config(String prefix) {
    return new StoreConfig.RedisConfig(url(), null, prefix);
  }
}
