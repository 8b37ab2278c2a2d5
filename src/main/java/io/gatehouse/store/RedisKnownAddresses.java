package io.gatehouse.store;

import io.gatehouse.identity.KnownAddresses;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;

/**
 * {@link KnownAddresses} in Redis, the same for every instance: a list per account under
 * {@code <prefix>:known:<account>}, newest first, kept for 30 days after the last login. While
 * Redis does not answer (within {@link RedisPipeline#DEADLINE_MILLIS}), no address is known (the
 * account's delay applies, as it would to anyone).
 */
public final class RedisKnownAddresses implements KnownAddresses {

  private static final long KEEP_MILLIS = Duration.ofDays(30).toMillis();

  private final RedisPipeline redis;
  private final String prefix;

  public RedisKnownAddresses(RedisPipeline redis, String prefix) {
    this.redis = redis;
    this.prefix = prefix + ":known:";
  }

  @Override
  public Future<Boolean> isKnown(String account, String address) {
    return redis.send(Request.cmd(Command.LRANGE).arg(prefix + account).arg(0).arg(PER_ACCOUNT - 1))
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
    return redis.send(Request.cmd(Command.LREM).arg(key).arg(0).arg(address))
        .compose(removed -> redis.send(Request.cmd(Command.LPUSH).arg(key).arg(address)))
        .compose(pushed -> redis.send(Request.cmd(Command.LTRIM).arg(key).arg(0).arg(PER_ACCOUNT - 1)))
        .compose(trimmed -> redis.send(Request.cmd(Command.PEXPIRE).arg(key).arg(KEEP_MILLIS)))
        .<Void>mapEmpty()
        .otherwise((Void) null);
  }
}
