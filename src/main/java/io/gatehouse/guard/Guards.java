package io.gatehouse.guard;

import io.gatehouse.config.AuthKind;
import io.gatehouse.config.AuthMethod;
import io.gatehouse.config.MtlsConfig;
import io.gatehouse.observability.AuditLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds each route's {@link RouteGuard} from its typed auth methods, with one authenticator per
 * credential kind and one per token issuer.
 */
public final class Guards {

  private final Map<AuthKind, Authenticator> credentials;
  private final JwtAuthenticator ownTokens;
  private final Map<String, JwtAuthenticator> issuerTokens;
  private final String defaultAudience;
  private final CsrfCheck csrf;
  private final DenialAudit audit;
  private final String stepUpPage;

  /**
   * @param credentials the authenticators of the kinds other capabilities prove: {@code session} and
   *     {@code api_key} (identity's), the OAuth client kinds (oauth's)
   * @param ownTokens {@code jwt}: Gatehouse's own access tokens
   * @param issuerTokens {@code jwt:<name>}: each external issuer's, by name
   * @param defaultAudience the {@code aud} an own token needs on a route that names no {@code audience}
   *     ({@code tokens.audience})
   */
  public Guards(Map<AuthKind, Authenticator> credentials, JwtAuthenticator ownTokens,
      Map<String, JwtAuthenticator> issuerTokens, String defaultAudience, CsrfCheck csrf, AuditLog auditLog,
      Clock clock) {
    this(credentials, ownTokens, issuerTokens, defaultAudience, csrf, auditLog, clock, null);
  }

  /**
   * @param stepUpPage where a browser whose session is below a route's {@code auth_level} is sent to
   *     sign in more strongly (with {@code return_to}), or null to answer it 401 like a token caller
   */
  public Guards(Map<AuthKind, Authenticator> credentials, JwtAuthenticator ownTokens,
      Map<String, JwtAuthenticator> issuerTokens, String defaultAudience, CsrfCheck csrf, AuditLog auditLog,
      Clock clock, String stepUpPage) {
    this.stepUpPage = stepUpPage;
    this.credentials = Map.copyOf(credentials);
    this.ownTokens = ownTokens;
    this.issuerTokens = Map.copyOf(issuerTokens);
    this.defaultAudience = defaultAudience;
    this.csrf = csrf;
    this.audit = new DenialAudit(auditLog, clock);
  }

  private Guards(Guards other, CsrfCheck csrf) {
    this.credentials = other.credentials;
    this.ownTokens = other.ownTokens;
    this.issuerTokens = other.issuerTokens;
    this.defaultAudience = other.defaultAudience;
    this.csrf = csrf;
    this.audit = other.audit;
    this.stepUpPage = other.stepUpPage;
  }

  /** The same authenticators with another CSRF check: a listener that is an origin of its own. */
  public Guards withCsrf(CsrfCheck csrf) {
    return new Guards(this, csrf);
  }

  /**
   * @param routeId the route's id, for the audit of refusals
   * @param mtls the route's certificate allow-lists, for {@link AuthKind#MTLS}
   * @param policy the route's access rules, challenges and CSRF stance
   * @throws IllegalArgumentException for {@code jwt:<name>} naming no configured issuer (config
   *     validation catches this first), or a kind no authenticator was given for
   */
  public RouteGuard guard(String routeId, List<AuthMethod> methods, MtlsConfig mtls, RouteGuard.Policy policy) {
    if (methods.contains(AuthMethod.of(AuthKind.NONE))) {
      return RouteGuard.open(routeId, policy, csrf, audit);
    }
    String audience = policy.access().audience();
    List<Authenticator> authenticators = new ArrayList<>();
    for (AuthMethod method : methods) {
      authenticators.add(switch (method.kind()) {
        // An own token always names its resources (RFC 9068 §4): the route's, else the default audience.
        case JWT -> method.ownIssuer() ? ownTokens.forAudience(audience != null ? audience : defaultAudience)
            : issuer(method.issuer()).forAudience(audience);
        case MTLS -> new ClientCertificateAuthenticator(mtls);
        case SESSION, API_KEY, OAUTH_CLIENT, OAUTH_PUBLIC_CLIENT -> credential(method.kind());
        case NONE -> throw new IllegalStateException("none is handled above");
      });
    }
    return RouteGuard.of(routeId, authenticators, policy, csrf, audit, stepUpPage);
  }

  private Authenticator credential(AuthKind kind) {
    Authenticator authenticator = credentials.get(kind);
    if (authenticator == null) {
      throw new IllegalArgumentException("no authenticator of " + kind);
    }
    return authenticator;
  }

  private JwtAuthenticator issuer(String name) {
    JwtAuthenticator authenticator = issuerTokens.get(name);
    if (authenticator == null) {
      throw new IllegalArgumentException("no issuer named " + name);
    }
    return authenticator;
  }
}
