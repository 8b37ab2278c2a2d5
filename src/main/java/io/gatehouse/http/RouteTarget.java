package io.gatehouse.http;

/** What answers a route's requests once the pipeline admitted them: a built-in endpoint, a fixed response, or the proxy. */
@FunctionalInterface
public interface RouteTarget {

  /** Answers {@code exchange}, now or later, through its response methods. Runs on the exchange's event loop. */
  void dispatch(Exchange exchange);
}
