package io.gatehouse.identity.web;

import io.gatehouse.config.MtlsConfig;
import io.gatehouse.config.AuthKind;
import io.gatehouse.http.Principal;
import io.gatehouse.http.AdminPolicy;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Request;
import io.gatehouse.identity.UserStore;
import io.gatehouse.observability.AuditLog;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.function.Function;

/**
 * Who may call the admin API and how its changes are audited, declared once for every admin
 * endpoint. Admitted, and decided at the moment of the call:
 *
 * <ul>
 *   <li>a session of a user with role {@code admin} (the session is checked against the store at
 *       most half a second ago, and ends when the user's roles change);</li>
 *   <li>one of Gatehouse's own access tokens issued to a first-party client (the built-in
 *       {@code gatehouse} client or one registered {@code first_party}) whose user is, read from the
 *       store now, present, enabled and an administrator: a third-party client's token never gets
 *       in, whatever it carries;</li>
 *   <li>with {@code management.admin_certificates}, a client certificate on that allow-list.</li>
 * </ul>
 *
 * API keys do not open the admin API. Immutable.
 */
public final class AdminAccess implements AdminPolicy {

  static final String ADMIN = "admin";

  private final AccountAudit audit;
  private final MtlsConfig certificates;
  private final UserStore users;
  private final Function<String, Future<Boolean>> firstParty;

  /**
   * @param certificates the client certificates admitted as admins, or null for none
   * @param firstParty whether a client id names a first-party client (the OAuth server answers)
   */
  public AdminAccess(AuditLog log, Clock clock, MtlsConfig certificates, UserStore users,
      Function<String, Future<Boolean>> firstParty) {
    this.audit = new AccountAudit(log, clock);
    this.certificates = certificates;
    this.users = users;
    this.firstParty = firstParty;
  }

  /** An admin endpoint at {@code path}, guarded as above. */
  @Override
  public Endpoint.Builder endpoint(String id, String path) {
    Endpoint.Builder endpoint = Endpoint.at(id, path);
    if (certificates == null) {
      return endpoint.auth(AuthKind.SESSION, AuthKind.JWT).requiresCurrent(this::isAdmin);
    }
    return endpoint.auth(AuthKind.MTLS, AuthKind.SESSION, AuthKind.JWT).mtls(certificates)
        .requiresCurrent(this::isAdmin);
  }

  private Future<Boolean> isAdmin(Principal caller) {
    return switch (caller.kind()) {
      case MTLS -> Future.succeededFuture(true);
      case SESSION -> Future.succeededFuture(caller.hasRole(ADMIN));
      case JWT -> caller.client() == null ? Future.succeededFuture(false)
          : firstParty.apply(caller.client()).compose(trusted -> !trusted ? Future.succeededFuture(false)
              : users.byId(caller.subject()).map(user -> user.filter(u -> !u.disabled() && u.roles().contains(ADMIN))
                  .isPresent()));
      default -> Future.succeededFuture(false);
    };
  }

  @Override
  public void changed(Request request, String event, String userId, String what) {
    audit.success(request, event, userId, "by=" + request.principal().subject() + " target=" + request.path()
        + (what == null ? "" : " " + what));
  }
}
