package io.gatehouse.guard;

import io.gatehouse.config.MtlsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Builds each route's {@link RouteGuard} from its typed auth kinds, with one authenticator per kind. */
public final class Guards {

  private final Authenticator sessions;
  private final Authenticator apiKeys;
  private final CsrfCheck csrf;

  public Guards(SessionAuthenticator sessions, ApiKeyAuthenticator apiKeys, CsrfCheck csrf) {
    this.sessions = sessions;
    this.apiKeys = apiKeys;
    this.csrf = csrf;
  }

  /**
   * @param mtls the route's certificate allow-lists, for {@link AuthKind#MTLS}
   * @param requirement what an admitted principal must also satisfy, or null
   */
  public RouteGuard guard(List<AuthKind> kinds, MtlsConfig mtls, Predicate<Principal> requirement) {
    if (kinds.contains(AuthKind.NONE)) {
      return RouteGuard.open();
    }
    List<Authenticator> authenticators = new ArrayList<>();
    for (AuthKind kind : kinds) {
      authenticators.add(switch (kind) {
        case MTLS -> new ClientCertificateAuthenticator(mtls);
        case SESSION -> sessions;
        case API_KEY -> apiKeys;
        case NONE -> throw new IllegalStateException("none is handled above");
      });
    }
    return RouteGuard.of(authenticators, requirement, csrf);
  }
}
