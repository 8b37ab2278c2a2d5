package io.gatehouse.support;

import io.gatehouse.observability.AuditEvent;
import io.gatehouse.observability.AuditLog;
import io.gatehouse.observability.AuditStore;
import io.vertx.core.Future;
import java.util.List;

/** An audit log that stores nothing (its events still go to the log stream): for unit tests of what audits. */
public final class DiscardedAudit {

  private DiscardedAudit() {
  }

  public static AuditLog log() {
    return new AuditLog(new AuditStore() {
      @Override
      public Future<Void> append(AuditEvent event) {
        return Future.succeededFuture();
      }

      @Override
      public Future<List<AuditEvent>> recent(int limit) {
        return Future.succeededFuture(List.of());
      }
    });
  }
}
