package io.gatehouse.guard;

import io.gatehouse.http.Exchange;
import io.gatehouse.http.Principal;
import io.vertx.core.Future;

/**
 * Checks one kind of credential. Stateless and thread-safe; may look up a store (off the event
 * loop) and completes wherever the store does.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * @return the principal the request's credential of this kind proves, or a future of null when
   *     the request carries none, or one that is not valid (unknown, expired, revoked, malformed)
   */
  Future<Principal> authenticate(Exchange exchange);
}
