package io.gatehouse.gateway;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** Last pipeline stage: hands the request to its route's target, a {@link FixedResponse} or an {@link UpstreamProxy}. */
public final class DispatchHandler implements Handler<RoutingContext> {

  private final Map<String, Handler<RoutingContext>> targets;

  /** @param targets route id to the handler that answers for it */
  public DispatchHandler(Map<String, Handler<RoutingContext>> targets) {
    this.targets = Map.copyOf(targets);
  }

  @Override
  public void handle(RoutingContext ctx) {
    targets.get(RoutingHandler.match(ctx).route().id()).handle(ctx);
  }
}
