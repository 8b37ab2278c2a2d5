package io.gatehouse;

import io.gatehouse.support.RedisServer;

/**
 * {@link PasskeyIT} with {@code store.redis}: the ceremonies' challenges live in Redis, taken with
 * {@code GETDEL} by whichever instance the answer reaches; the race and the replay hold there too.
 * Skips when Redis cannot be reached, unless {@code GATEHOUSE_REQUIRE_SERVICES} is set.
 */
class PasskeyRedisIT extends PasskeyIT {

  @Override
  String store() {
    return "store:\n  embedded: { path: \"${DATA}\" }\n  redis: { url: \"" + RedisServer.url() + "\", prefix: \""
        + RedisServer.freshPrefix() + "\" }\n";
  }
}
