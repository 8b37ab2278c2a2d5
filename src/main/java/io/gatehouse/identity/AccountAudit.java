package io.gatehouse.identity;

import io.gatehouse.http.Exchange;
import io.gatehouse.observability.AuditEvent;
import io.gatehouse.observability.AuditLog;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/** Audit events of account endpoints, stamped with the request's id and client address. */
public final class AccountAudit {

  private final AuditLog log;
  private final Clock clock;

  public AccountAudit(AuditLog log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  public void success(RoutingContext ctx, String event, String userId, String detail) {
    record(ctx, event, "success", userId, detail);
  }

  public void failure(RoutingContext ctx, String event, String userId, String reason) {
    record(ctx, event, "failure", userId, reason);
  }

  private void record(RoutingContext ctx, String event, String outcome, String userId, String detail) {
    Exchange exchange = Exchange.of(ctx);
    log.record(new AuditEvent(clock.instant(), event, outcome, userId, exchange.clientAddress(), exchange.requestId(), detail));
  }
}
