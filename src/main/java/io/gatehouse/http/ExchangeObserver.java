package io.gatehouse.http;

/**
 * Told of every exchange once it is over (answered, abandoned, or its client gone): the access
 * log and the request metrics are observers, registered with the {@link Pipeline} at the root.
 * Called on the exchange's event loop; must not block.
 */
@FunctionalInterface
public interface ExchangeObserver {

  /**
   * @param routeId the route the exchange took, or null when none matched
   * @param nanos how long it took, from its first byte
   */
  void completed(Exchange exchange, String routeId, long nanos);
}
