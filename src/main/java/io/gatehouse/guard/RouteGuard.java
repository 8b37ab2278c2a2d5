package io.gatehouse.guard;

import io.gatehouse.config.AuthLevel;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.FormCsrf;
import io.gatehouse.http.Principal;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Response;
import io.gatehouse.http.Stage;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * One route's protection, built once at start from its typed {@code auth} methods: the
 * authenticators are tried in the order listed and the first credential that proves a caller
 * admits the request, subject to the CSRF check for cookie callers and the route's access rules.
 * A route that lists no method admits nobody; only {@code [none]} opens it. Answers (RFC 6750 §3):
 *
 * <ul>
 *   <li>no credential: 401 with {@code WWW-Authenticate: Bearer realm="gatehouse"};
 *   <li>a credential that was presented and refused (a bad token), or a token for another
 *       audience: 401 with {@code error="invalid_token"};
 *   <li>a cookie caller's change without CSRF proof, or a form posted to a built-in endpoint without
 *       the proof it declares (on an open endpoint too: the login form): 403;
 *   <li>none of the route's {@code roles}: 403; missing one of its {@code scopes}: 403 with
 *       {@code error="insufficient_scope"} and the scopes needed;
 *   <li>a sign-in weaker than the route's {@code auth_level} (a session's amr, a token's {@code acr}):
 *       401 with {@code error="insufficient_user_authentication"} and {@code acr_values} (RFC 9470
 *       §3); a browser's GET with the session cookie is instead sent (303) to the step-up page, which
 *       brings it back.
 * </ul>
 *
 * Every refusal is audited with its reason. Immutable and thread-safe.
 */
public final class RouteGuard implements Stage {

  /**
   * What an admitted caller must also hold.
   *
   * @param level how strongly the user must have signed in, or null for any way
   */
  public record Access(List<String> roles, List<String> scopes, String audience, AuthLevel level) {

    public static final Access ANY = new Access(List.of(), List.of(), null, null);

    public Access {
      roles = List.copyOf(roles);
      scopes = List.copyOf(scopes);
    }

    public Access(List<String> roles, List<String> scopes, String audience) {
      this(roles, scopes, audience, null);
    }
  }

  /**
   * How a route is guarded besides its credential kinds.
   *
   * @param access the roles, scopes and audience an admitted caller must hold
   * @param requirement what an admitted principal must also satisfy (a built-in endpoint's rule, which
   *     may read the store: the admin API's), or null
   * @param resourceMetadata the RFC 9728 metadata URL its 401 challenges name, or null
   * @param optional a request without any credential is admitted with no principal, for the endpoint to
   *     answer (the authorization endpoint checks its request first, then sends the browser to sign in);
   *     a credential presented and refused is still refused
   * @param crossSite the route accepts cookie callers' requests from other sites: it changes nothing
   *     that a GET could not (an authorization request), so no CSRF check applies
   * @param form how a form posted to the route proves it came from this gateway's page (a built-in
   *     endpoint's declaration, checked on open routes too), or null
   */
  public record Policy(Access access, Function<Principal, Future<Boolean>> requirement, String resourceMetadata,
      boolean optional, boolean crossSite, FormCsrf form) {

    /** A configured route's policy: its access rules and, for a token route, its metadata URL. */
    public static Policy of(Access access, String resourceMetadata) {
      return new Policy(access, null, resourceMetadata, false, false, null);
    }
  }

  private static final RouteGuard OPEN = new RouteGuard(null, List.of(), Policy.of(Access.ANY, null), null, null, true,
      null);

  private final String routeId;
  private final List<Authenticator> authenticators;
  private final Access access;
  private final Function<Principal, Future<Boolean>> requirement;
  private final CsrfCheck csrf;
  private final CsrfCheck forms;
  private final FormCsrf form;
  private final DenialAudit audit;
  private final boolean open;
  private final Problem insufficientScope;
  private final Problem unauthorized;
  private final Problem invalidToken;
  private final boolean optional;
  private final Problem insufficientLevel;
  private final String stepUpPage;

  private RouteGuard(String routeId, List<Authenticator> authenticators, Policy policy, CsrfCheck csrf,
      DenialAudit audit, boolean open, String stepUpPage) {
    this.stepUpPage = stepUpPage;
    this.insufficientLevel = policy.access().level() == null ? null
        : withMetadata(Problem.insufficientUserAuthentication(policy.access().level().acr()),
            Problem.insufficientUserAuthentication(policy.access().level().acr()).challenge(),
            policy.resourceMetadata());
    this.routeId = routeId;
    this.authenticators = List.copyOf(authenticators);
    this.access = policy.access();
    this.requirement = policy.requirement();
    this.csrf = policy.crossSite() ? null : csrf;
    this.forms = csrf;
    this.form = policy.form();
    this.audit = audit;
    this.open = open;
    this.insufficientScope = access.scopes().isEmpty() ? null : Problem.insufficientScope(access.scopes());
    this.unauthorized = withMetadata(Problem.UNAUTHORIZED, Problem.BEARER_REALM, policy.resourceMetadata());
    this.invalidToken = withMetadata(Problem.INVALID_TOKEN, Problem.INVALID_TOKEN.challenge(), policy.resourceMetadata());
    this.optional = policy.optional();
  }

  /** RFC 9728 §5.1: a token route's challenges say where its protected-resource metadata is. */
  private static Problem withMetadata(Problem problem, String challenge, String resourceMetadata) {
    if (resourceMetadata == null) {
      return problem;
    }
    return new Problem(problem.status(), problem.slug(), problem.title(), problem.detail(), problem.extensions(),
        challenge + ", resource_metadata=\"" + resourceMetadata + "\"");
  }

  /** An open route's guard: it admits anyone, once the form's CSRF proof, when {@code policy} declares one, holds. */
  static RouteGuard open(String routeId, Policy policy, CsrfCheck csrf, DenialAudit audit) {
    return policy.form() == null ? OPEN : new RouteGuard(routeId, List.of(), policy, csrf, audit, true, null);
  }

  /** @param stepUpPage where a browser below the route's level is sent, or null to answer it 401 */
  static RouteGuard of(String routeId, List<Authenticator> authenticators, Policy policy, CsrfCheck csrf,
      DenialAudit audit, String stepUpPage) {
    return new RouteGuard(routeId, authenticators, policy, csrf, audit, false, stepUpPage);
  }

  public boolean isOpen() {
    return open;
  }

  /**
   * The route's guard stage: admits the request and records its principal on the exchange (none
   * for an open route, or an optional one admitting a request without a credential), or fails it
   * with the 401 or 403 problem.
   */
  @Override
  public Future<Boolean> apply(Exchange exchange) {
    if (open) {
      return form == null ? CONTINUE : checkForm(exchange, null).map(Boolean.TRUE);
    }
    return admit(exchange).compose(principal -> {
      if (principal != null && insufficientLevel != null && !access.level().satisfiedBy(principal.acr())) {
        return stepUp(exchange, principal);
      }
      exchange.principal(principal);
      return CONTINUE;
    });
  }

  /**
   * RFC 9470: the caller's sign-in is below the route's level. A browser on its session cookie
   * fetching a page is sent to sign in again more strongly and come back; anyone else gets the 401
   * challenge naming the {@code acr_values} to ask for.
   */
  private Future<Boolean> stepUp(Exchange exchange, Principal principal) {
    audit.denied(exchange, routeId, principal, 401, "auth_level");
    HttpMethod method = exchange.method();
    if (stepUpPage != null && principal.viaCookie() && (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD))) {
      String back = exchange.rawQuery() == null ? exchange.rawPath() : exchange.rawPath() + "?" + exchange.rawQuery();
      exchange.respond(Response.redirect(303, stepUpPage + "?return_to=" + URLEncoder.encode(back, StandardCharsets.UTF_8)));
      return ANSWERED;
    }
    return Future.failedFuture(new ProblemException(insufficientLevel));
  }

  /** The admitted principal, or a failure with the 401 or 403 problem. */
  public Future<Principal> admit(Exchange exchange) {
    return tryFrom(exchange, 0, null);
  }

  private Future<Principal> tryFrom(Exchange exchange, int index, CredentialRejected rejected) {
    if (index >= authenticators.size()) {
      if (rejected != null || Credentials.authorization(exchange, "Bearer") != null) {
        return deny(exchange, null, invalidToken, rejected != null ? rejected.reason() : "unrecognised");
      }
      if (optional) {
        return Future.succeededFuture();
      }
      return deny(exchange, null, unauthorized, "no_credential");
    }
    return authenticators.get(index).authenticate(exchange).transform(result -> {
      if (result.failed()) {
        if (result.cause() instanceof CredentialRejected refusal) {
          return tryFrom(exchange, index + 1, rejected != null ? rejected : refusal);
        }
        return Future.failedFuture(result.cause());
      }
      Principal principal = result.result();
      return principal == null ? tryFrom(exchange, index + 1, rejected) : check(exchange, principal);
    });
  }

  private Future<Principal> check(Exchange exchange, Principal principal) {
    if (csrf != null && !csrf.allows(exchange, principal)) {
      return deny(exchange, principal, Problem.CSRF_REJECTED, "csrf");
    }
    if (form != null) {
      return checkForm(exchange, principal).compose(checked -> checkAccess(exchange, principal));
    }
    return checkAccess(exchange, principal);
  }

  private Future<Principal> checkForm(Exchange exchange, Principal principal) {
    boolean allowed;
    try {
      allowed = forms.formAllows(exchange, principal, form);
    } catch (ProblemException malformed) {
      return Future.failedFuture(malformed);
    }
    return allowed ? Future.succeededFuture(principal) : deny(exchange, principal, Problem.CSRF_REJECTED, "form_csrf");
  }

  private Future<Principal> checkAccess(Exchange exchange, Principal principal) {
    if (!access.roles().isEmpty() && access.roles().stream().noneMatch(principal::hasRole)) {
      return deny(exchange, principal, Problem.FORBIDDEN, "role");
    }
    if (insufficientScope != null && !principal.scopes().containsAll(access.scopes())) {
      return deny(exchange, principal, insufficientScope, "scope");
    }
    if (requirement == null) {
      return Future.succeededFuture(principal);
    }
    return requirement.apply(principal).compose(met -> met ? Future.succeededFuture(principal)
        : deny(exchange, principal, Problem.FORBIDDEN, "requirement"));
  }

  private Future<Principal> deny(Exchange exchange, Principal principal, Problem problem, String reason) {
    audit.denied(exchange, routeId, principal, problem.status(), reason);
    return Future.failedFuture(new ProblemException(problem));
  }
}
