package io.gatehouse.guard;

import io.gatehouse.http.Exchange;
import io.gatehouse.http.Principal;
import io.gatehouse.observability.AuditEvent;
import io.gatehouse.observability.AuditLog;
import java.time.Clock;

/**
 * Audits each request the guard refuses, with the route, the status and a fixed reason word,
 * never the credential. A 403 (a known caller refused) is stored durably; a 401 (no valid
 * credential, which anyone can send in bulk) goes to the audit log stream only. Thread-safe.
 */
final class DenialAudit {

  static final String EVENT = "access.denied";

  private final AuditLog log;
  private final Clock clock;

  DenialAudit(AuditLog log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  /** @param principal the refused caller for a 403, or null for a 401 */
  void denied(Exchange exchange, String routeId, Principal principal, int status, String reason) {
    String kind = principal == null ? "" : " kind=" + principal.kind().configName();
    AuditEvent event = new AuditEvent(clock.instant(), EVENT, "denied", principal == null ? null : principal.subject(),
        exchange.clientAddress(), exchange.requestId(), "route=" + routeId + " status=" + status + " reason=" + reason + kind);
    if (principal == null) {
      log.log(event);
    } else {
      log.record(event);
    }
  }
}
