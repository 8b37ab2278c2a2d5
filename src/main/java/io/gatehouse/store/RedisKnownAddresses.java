package io.gatehouse.store;

import io.gatehouse.identity.KnownAddresses;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.time.Duration;
import java.util.List;

/**
 * {@link KnownAddresses} in Redis, the same for every instance: a list per account under
 * {@code <prefix>:known:<account>}, newest first, kept for 30 days after the last login. While
 * Redis does not answer, no address is known (the account's delay applies, as it would to anyone).
 */
public final class RedisKnownAddresses implements KnownAddresses {

  private static final long KEEP_MILLIS = Duration.ofDays(30).toMillis();

  private final RedisAPI redis;
  private final String prefix;

  public RedisKnownAddresses(RedisAPI redis, String prefix) {
    this.redis = redis;
    this.prefix = prefix + ":known:";
  }

  @Override
  public Future<Boolean> isKnown(String account, String address) {
    return redis.lrange(prefix + account, "0", Integer.toString(PER_ACCOUNT - 1))
        .map(addresses -> {
          for (int i = 0; i < addresses.size(); i++) {
            if (address.equals(addresses.get(i).toString())) {
              return true;
            }
          }
          return false;
        })
        .otherwise(false);
  }

  @Override
  public Future<Void> remember(String account, String address) {
    String key = prefix + account;
    return redis.lrem(key, "0", address)
        .compose(removed -> redis.lpush(List.of(key, address)))
        .compose(pushed -> redis.ltrim(key, "0", Integer.toString(PER_ACCOUNT - 1)))
        .compose(trimmed -> redis.pexpire(List.of(key, Long.toString(KEEP_MILLIS))))
        .<Void>mapEmpty()
        .otherwise((Void) null);
  }
}
