package io.gatehouse.identity;

import io.gatehouse.http.Request;
import io.gatehouse.observability.AuditEvent;
import io.gatehouse.observability.AuditLog;
import java.time.Clock;

/** Audit events of account endpoints, stamped with the request's id and client address. */
public final class AccountAudit {

  private final AuditLog log;
  private final Clock clock;

  public AccountAudit(AuditLog log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  public void success(Request request, String event, String userId, String detail) {
    record(request, event, "success", userId, detail);
  }

  public void failure(Request request, String event, String userId, String reason) {
    record(request, event, "failure", userId, reason);
  }

  private void record(Request request, String event, String outcome, String userId, String detail) {
    log.record(new AuditEvent(clock.instant(), event, outcome, userId, request.clientAddress(), request.requestId(), detail));
  }
}
