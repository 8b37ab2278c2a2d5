package io.gatehouse.identity.web;

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

  /**
   * A request refused before any work (a throttled attempt): to the audit log stream only, since
   * anyone can cause it in bulk and it must not become a store write per request.
   */
  public void refused(Request request, String event, String userId, String detail) {
    log.log(event(request, event, "refused", userId, detail));
  }

  /** Any other outcome, logged and stored. */
  public void record(Request request, String event, String outcome, String userId, String detail) {
    log.record(event(request, event, outcome, userId, detail));
  }

  private AuditEvent event(Request request, String event, String outcome, String userId, String detail) {
    return new AuditEvent(clock.instant(), event, outcome, userId, request.clientAddress(), request.requestId(), detail);
  }
}
