package io.gatehouse.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis calls of the credential stores (sessions, refresh tokens, authorization codes). A
 * credential that cannot be checked is refused, never assumed good: while Redis does not answer
 * (within {@link RedisPipeline#DEADLINE_MILLIS}), every call fails with a {@link StoreUnavailable}
 * (503, {@code Retry-After}), so nothing is acknowledged that was not stored. Each such call is
 * counted in {@code gatehouse_redis_store_failures_total}; an outage is logged once when it
 * starts and once when Redis answers again. Thread-safe.
 */
final class FailClosedRedis {

  private static final Logger LOG = LoggerFactory.getLogger(FailClosedRedis.class);

  private final RedisPipeline redis;
  private final RedisOutage outage;

  FailClosedRedis(RedisPipeline redis, MeterRegistry registry) {
    this.redis = redis;
    this.outage = new RedisOutage(LOG, "sessions and tokens", "refusing what needs it with 503",
        Counter.builder("gatehouse.redis.store.failures")
            .description("Session, refresh-token and authorization-code calls Redis did not answer in time "
                + "(refused with 503)")
            .register(registry));
  }

  Future<Response> send(Request request) {
    return watched(redis.send(request));
  }

  Future<Response> eval(LuaScript script, List<String> keys, List<String> args) {
    return watched(redis.eval(script, keys, args));
  }

  private Future<Response> watched(Future<Response> call) {
    return call.andThen(done -> {
      if (done.succeeded()) {
        outage.answered();
      }
    }).recover(this::unanswered);
  }

  private Future<Response> unanswered(Throwable cause) {
    outage.unanswered(cause);
    return Future.failedFuture(new StoreUnavailable(Database.UNREACHABLE, Database.RETRY_AFTER_SECONDS));
  }

  void close() {
    redis.close();
  }
}
