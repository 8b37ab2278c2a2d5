package io.gatehouse.observability;

import io.vertx.core.Future;
import java.util.List;

/** Where audit events are kept for later queries. */
public interface AuditStore {

  Future<Void> append(AuditEvent event);

  /** The latest {@code limit} events, newest first. */
  Future<List<AuditEvent>> recent(int limit);
}
