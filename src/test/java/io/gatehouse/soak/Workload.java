package io.gatehouse.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The mix of scenarios, each with its share of the starts. */
final class Workload {

  private record Weighted(String name, double weight, Scenario scenario) {
  }

  private final List<Weighted> scenarios = new ArrayList<>();
  private double total;

  /** The soak's mix: mostly callers on routes, a steady trickle of account changes, big and slow transfers. */
  static Workload standard() {
    return new Workload()
        .with("anonymous proxied request", 25, new AnonymousProxyScenario())
        .with("credential on a protected route", 40, new CredentialRouteScenario())
        .with("no valid credential", 10, new NoCredentialScenario())
        .with("client_credentials", 5, new ClientCredentialsScenario())
        .with("rate-limit burst", 1, new RateLimitScenario())
        .with("websocket echo", 3, new WebSocketScenario())
        .with("authorization code + PKCE", 1, new CodeFlowScenario())
        .with("account lifecycle", 1.2, new AccountLifecycleScenario())
        .with("disable", 0.4, new DisableScenario())
        .with("10 MB transfer", 0.6, new BulkTransferScenario(false))
        .with("slow reader or writer", 0.6, new BulkTransferScenario(true));
  }

  Workload with(String name, double weight, Scenario scenario) {
    scenarios.add(new Weighted(name, weight, scenario));
    total += weight;
    return this;
  }

  /** A scenario drawn by weight, and its name. */
  Scenario pick() {
    double draw = ThreadLocalRandom.current().nextDouble(total);
    for (Weighted each : scenarios) {
      draw -= each.weight();
      if (draw < 0) {
        return each.scenario();
      }
    }
    return scenarios.get(scenarios.size() - 1).scenario();
  }
}
