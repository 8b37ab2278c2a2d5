package io.gatehouse.guard;

import io.gatehouse.http.Exchange;
import io.gatehouse.http.Stage;
import io.vertx.core.Future;

/**
 * Pipeline stage: runs the chosen route's {@link RouteGuard} and records the admitted principal
 * (none for an optional guard that admitted a request without a credential).
 */
public final class Guard implements Stage {

  @Override
  public Future<Boolean> apply(Exchange exchange) {
    RouteGuard guard = exchange.route().guard();
    if (guard.isOpen()) {
      return CONTINUE;
    }
    return guard.admit(exchange).map(principal -> {
      exchange.principal(principal);
      return Boolean.TRUE;
    });
  }
}
