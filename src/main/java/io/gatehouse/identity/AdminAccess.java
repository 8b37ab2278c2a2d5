package io.gatehouse.identity;

import io.gatehouse.config.MtlsConfig;
import io.gatehouse.guard.AuthKind;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Request;
import io.gatehouse.observability.AuditLog;
import java.time.Clock;

/**
 * Who may call the admin API and how its changes are audited, declared once for every admin
 * endpoint: a bearer JWT, API key or session with role {@code admin}, or (with
 * {@code management.admin_certificates}) a client certificate on that allow-list. Immutable.
 */
public final class AdminAccess {

  private final AccountAudit audit;
  private final MtlsConfig certificates;

  /** @param certificates the client certificates admitted as admins, or null for none */
  public AdminAccess(AuditLog log, Clock clock, MtlsConfig certificates) {
    this.audit = new AccountAudit(log, clock);
    this.certificates = certificates;
  }

  /** An admin endpoint at {@code path}, guarded as above. */
  public Endpoint.Builder endpoint(String id, String path) {
    Endpoint.Builder endpoint = Endpoint.at(id, path);
    if (certificates == null) {
      return endpoint.auth(AuthKind.JWT, AuthKind.API_KEY, AuthKind.SESSION).requires(p -> p.hasRole("admin"));
    }
    return endpoint.auth(AuthKind.MTLS, AuthKind.JWT, AuthKind.API_KEY, AuthKind.SESSION).mtls(certificates)
        .requires(p -> p.kind() == AuthKind.MTLS || p.hasRole("admin"));
  }

  /** Audits a change with who made it and what it named. */
  public void changed(Request request, String event, String userId) {
    audit.success(request, event, userId, "by=" + request.principal().subject() + " target=" + request.path());
  }
}
