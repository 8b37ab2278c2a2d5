package io.gatehouse.soak;

/** A failure a fault makes acceptable while it lasts (and for a grace period after it is healed). */
public enum Allowance {
  /** Gatehouse's documented 503 with {@code Retry-After}: a store (PostgreSQL, Redis) does not answer. */
  STORE_UNAVAILABLE,
  /** Gatehouse's 502 or 504 (problem+json) on a proxied route: the upstream reset or stalled. */
  UPSTREAM_FAILURE,
  /**
   * The gateway cannot be reached or dropped the connection: a refused or reset connection, a
   * timeout, or the load balancer's own 502/504 for a request an instance died with.
   */
  GATEWAY_UNREACHABLE
}
