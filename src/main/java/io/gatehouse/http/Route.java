package io.gatehouse.http;

import io.gatehouse.config.RouteSelector;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Objects;
import java.util.Set;

/**
 * A route as the pipeline runs it, built once at start: which requests it takes, the stages that
 * are its own (the limits keyed before the guard, the body read before the guard when its credential is in
 * the body, the guard, the limits keyed by the caller), and what answers it. The pipeline runs
 * them in the order it writes once; a route names no capability.
 *
 * @param methods the methods a built-in endpoint takes (another gets 405 with {@code Allow}), or
 *     null for a configured route, whose {@code methods} filter is part of matching
 * @param problems how the route answers problems, or null for problem+json
 */
public record Route(RouteSelector selector, Stage ipLimits, Stage body, Stage guard, Stage subjectLimits,
    RouteTarget target, Set<HttpMethod> methods, ProblemFormat problems) {

  public Route {
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(ipLimits, "ipLimits");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(guard, "guard");
    Objects.requireNonNull(subjectLimits, "subjectLimits");
    Objects.requireNonNull(target, "target");
  }

  /** A route taking the requests {@code selector} selects, its stages given by name. */
  public static Builder of(RouteSelector selector) {
    return new Builder(selector);
  }

  public String id() {
    return selector.id();
  }

  /** Collects a route's parts by name, so two stages cannot be swapped by position. */
  public static final class Builder {
    private final RouteSelector selector;
    private Stage ipLimits = Stage.PASS;
    private Stage body = Stage.PASS;
    private Stage guard;
    private Stage subjectLimits = Stage.PASS;
    private RouteTarget target;
    private Set<HttpMethod> methods;
    private ProblemFormat problems;

    private Builder(RouteSelector selector) {
      this.selector = selector;
    }

    /** The limits whose key is known before the guard (address, route, header); none by default. */
    public Builder ipLimits(Stage stage) {
      this.ipLimits = stage;
      return this;
    }

    /**
     * Gathers the body, up to {@code maxBytes}, before the guard runs: for a built-in endpoint whose
     * credential or form proof is in the body. By default the body is left to the target.
     */
    public Builder bodyBeforeGuard(int maxBytes) {
      return body(exchange -> exchange.wholeBody(maxBytes).map(Boolean.TRUE));
    }

    /** The stage between the ip limits and the guard; {@link #bodyBeforeGuard} is the one there is. */
    public Builder body(Stage stage) {
      this.body = stage;
      return this;
    }

    /** Who the route admits: required (a route without one admits nobody by mistake). */
    public Builder guard(Stage stage) {
      this.guard = stage;
      return this;
    }

    /** The limits keyed by the admitted caller; none by default. */
    public Builder subjectLimits(Stage stage) {
      this.subjectLimits = stage;
      return this;
    }

    public Builder target(RouteTarget answers) {
      this.target = answers;
      return this;
    }

    /** A built-in endpoint's methods (see {@link Route#methods()}). */
    public Builder methods(Set<HttpMethod> endpointMethods) {
      this.methods = Set.copyOf(endpointMethods);
      return this;
    }

    /** See {@link Route#problems()}. */
    public Builder problems(ProblemFormat format) {
      this.problems = format;
      return this;
    }

    public Route build() {
      return new Route(selector, ipLimits, body, guard, subjectLimits, target, methods, problems);
    }
  }
}
