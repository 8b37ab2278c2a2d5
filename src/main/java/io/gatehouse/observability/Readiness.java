package io.gatehouse.observability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What {@code /health/ready} reports: named checks, all of which must pass. Components register
 * their own (each listener once bound, each store). Thread-safe.
 */
public final class Readiness {

  private final Map<String, BooleanSupplier> checks = new ConcurrentHashMap<>();
  private final Map<String, Supplier<String>> notices = new ConcurrentHashMap<>();

  public void register(String name, BooleanSupplier check) {
    checks.put(name, check);
  }

  /**
   * A state shown beside the checks that does not decide readiness (an external issuer serving
   * stale keys: every instance would see the same, and taking them all out helps nobody).
   */
  public void inform(String name, Supplier<String> state) {
    notices.put(name, state);
  }

  /** No longer shows the notice {@code name} (a reload removed what it told of). */
  public void withdraw(String name) {
    notices.remove(name);
  }

  /** Each notice's current state, in name order. */
  public Map<String, String> notices() {
    Map<String, String> out = new LinkedHashMap<>();
    notices.keySet().stream().sorted().forEach(name -> out.put(name, notices.get(name).get()));
    return out;
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
