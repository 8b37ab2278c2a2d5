package io.gatehouse.observability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What {@code /health/ready} reports: named checks, all of which must pass, notices shown beside
 * them, and for either, details that say why (a reason, the time of the last success). Components
 * register their own (each listener once bound, each store). Thread-safe.
 */
public final class Readiness {

  private final Map<String, BooleanSupplier> checks = new ConcurrentHashMap<>();
  private final Map<String, Supplier<String>> notices = new ConcurrentHashMap<>();
  private final Map<String, Supplier<Map<String, String>>> details = new ConcurrentHashMap<>();

  public void register(String name, BooleanSupplier check) {
    checks.put(name, check);
  }

  /** A check with details that explain its result; an empty map shows none. */
  public void register(String name, BooleanSupplier check, Supplier<Map<String, String>> explained) {
    register(name, check);
    details.put(name, Objects.requireNonNull(explained, "explained"));
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
    details.remove(name);
  }

  /** A notice with details that explain its state; an empty map shows none. */
  public void inform(String name, Supplier<String> state, Supplier<Map<String, String>> explained) {
    inform(name, state);
    details.put(name, Objects.requireNonNull(explained, "explained"));
  }

  /** The details of each check and notice that has any now, in name order. */
  public Map<String, Map<String, String>> details() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    details.keySet().stream().sorted().forEach(name -> {
      Map<String, String> now = safeDetails(details.get(name));
      if (!now.isEmpty()) {
        out.put(name, now);
      }
    });
    return out;
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

  private static Map<String, String> safeDetails(Supplier<Map<String, String>> explained) {
    try {
      Map<String, String> now = explained.get();
      return now == null ? Map.of() : now;
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  private static boolean safe(BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
