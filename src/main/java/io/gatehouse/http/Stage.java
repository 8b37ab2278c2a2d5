package io.gatehouse.http;

import io.vertx.core.Future;

/**
 * One step of the {@link Pipeline}. A stage looks at the {@link Exchange}, may record what it
 * learned there, and either lets the request go on, answers it, or fails it with a
 * {@link ProblemException}. Stages are built once at start and shared by every request and event
 * loop, so they keep no per-request state: that lives in the exchange.
 */
@FunctionalInterface
public interface Stage {

  /** Go on with the next stage. */
  Future<Boolean> CONTINUE = Future.succeededFuture(true);
  /** This stage answered the request (or will); no later stage runs. */
  Future<Boolean> ANSWERED = Future.succeededFuture(false);

  /** A stage that does nothing. */
  Stage PASS = exchange -> CONTINUE;

  /**
   * @return {@link #CONTINUE} or {@link #ANSWERED} when decided at once; otherwise a future
   *     completing with {@code true} to go on or {@code false} when answered, or failing with a
   *     {@link ProblemException} to answer with its problem
   */
  Future<Boolean> apply(Exchange exchange);

  static Future<Boolean> reject(Problem problem) {
    return Future.failedFuture(new ProblemException(problem));
  }
}
