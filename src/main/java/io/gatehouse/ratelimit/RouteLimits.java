package io.gatehouse.ratelimit;

import io.gatehouse.config.RateLimitConfig;
import java.util.List;

/**
 * A route's limits, split by when their key is known: before the guard (address, route, header)
 * and after it (the caller's identity). Each list is shortest window first. Immutable.
 */
public final class RouteLimits {

  public static final RouteLimits NONE = new RouteLimits(new Limit[0], new Limit[0]);

  private final Limit[] beforeGuard;
  private final Limit[] afterGuard;

  private RouteLimits(Limit[] beforeGuard, Limit[] afterGuard) {
    this.beforeGuard = beforeGuard;
    this.afterGuard = afterGuard;
  }

  /** One {@link Limit} per entry of route {@code routeId}, each counted on its own even when two routes' entries look alike. */
  public static RouteLimits of(String routeId, List<RateLimitConfig> configs) {
    if (configs.isEmpty()) {
      return NONE;
    }
    List<Limit> limits = new java.util.ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      limits.add(new Limit(configs.get(i), routeId + "#" + i));
    }
    return new RouteLimits(limits.stream().filter(l -> !l.key().afterGuard()).toArray(Limit[]::new),
        limits.stream().filter(l -> l.key().afterGuard()).toArray(Limit[]::new));
  }

  Limit[] beforeGuard() {
    return beforeGuard;
  }

  Limit[] afterGuard() {
    return afterGuard;
  }

  public boolean isEmpty() {
    return beforeGuard.length == 0 && afterGuard.length == 0;
  }
}
