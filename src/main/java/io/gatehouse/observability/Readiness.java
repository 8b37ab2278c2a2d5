package io.gatehouse.observability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * What {@code /health/ready} reports: named checks, all of which must pass. Components register
 * their own (each listener once bound, each store). Thread-safe.
 */
public final class Readiness {

  private final Map<String, BooleanSupplier> checks = new ConcurrentHashMap<>();

  public void register(String name, BooleanSupplier check) {
    checks.put(name, check);
  }

  /** Each check's current result, in name order. */
  public Map<String, Boolean> evaluate() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    checks.keySet().stream().sorted().forEach(name -> out.put(name, safe(checks.get(name))));
    return out;
  }

  private static boolean safe(BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
