package io.gatehouse.guard;

import io.gatehouse.http.Exchange;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Predicate;

/**
 * One route's protection, built once at start from its typed {@code auth} kinds: the
 * authenticators are tried in the order listed and the first credential that proves a caller
 * admits the request, subject to the CSRF check for cookie callers (403) and the route's
 * requirement (403); no credential, or none valid, is 401. A route that lists no kind admits
 * nobody; only {@code [none]} opens it. Immutable and thread-safe.
 */
public final class RouteGuard {

  private static final RouteGuard OPEN = new RouteGuard(List.of(), null, null, true);

  private final List<Authenticator> authenticators;
  private final Predicate<Principal> requirement;
  private final CsrfCheck csrf;
  private final boolean open;

  private RouteGuard(List<Authenticator> authenticators, Predicate<Principal> requirement, CsrfCheck csrf, boolean open) {
    this.authenticators = List.copyOf(authenticators);
    this.requirement = requirement;
    this.csrf = csrf;
    this.open = open;
  }

  static RouteGuard open() {
    return OPEN;
  }

  /** @param requirement what an admitted principal must also satisfy, or null */
  static RouteGuard of(List<Authenticator> authenticators, Predicate<Principal> requirement, CsrfCheck csrf) {
    return new RouteGuard(authenticators, requirement, csrf, false);
  }

  public boolean isOpen() {
    return open;
  }

  /** The admitted principal, or a failure with the 401 or 403 problem. */
  public Future<Principal> admit(Exchange exchange) {
    return tryFrom(exchange, 0);
  }

  private Future<Principal> tryFrom(Exchange exchange, int index) {
    if (index >= authenticators.size()) {
      return Future.failedFuture(new ProblemException(Problem.UNAUTHORIZED));
    }
    return authenticators.get(index).authenticate(exchange).compose(principal -> {
      if (principal == null) {
        return tryFrom(exchange, index + 1);
      }
      if (!csrf.allows(exchange, principal)) {
        return Future.failedFuture(new ProblemException(Problem.CSRF_REJECTED));
      }
      if (requirement != null && !requirement.test(principal)) {
        return Future.failedFuture(new ProblemException(Problem.FORBIDDEN));
      }
      return Future.succeededFuture(principal);
    });
  }
}
