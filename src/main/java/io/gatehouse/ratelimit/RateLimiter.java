package io.gatehouse.ratelimit;

import io.netty.channel.EventLoop;
import io.vertx.core.Future;

/**
 * Counts requests against limits: the port behind which the counts live (in this process now; in
 * Redis, shared by every instance, with scale-out). Thread-safe.
 */
public interface RateLimiter {

  /**
   * Counts one request by {@code key} against {@code limit} if the limit lets it through. A refused
   * request is not counted. A limiter that cannot decide admits, or, when told to refuse then,
   * fails with a {@link io.gatehouse.http.ProblemException} (503).
   */
  Future<Decision> acquire(Limit limit, String key);

  /**
   * {@link #acquire(Limit, String)} asked on {@code loop}'s thread, for a request of that loop. A
   * limiter that decides elsewhere may gather what one turn of the loop asks into one call, and
   * then answers on {@code loop}; an in-process one decides at once.
   */
  default Future<Decision> acquire(Limit limit, String key, EventLoop loop) {
    return acquire(limit, key);
  }
}
