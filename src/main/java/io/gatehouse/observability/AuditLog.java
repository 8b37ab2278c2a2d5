package io.gatehouse.observability;

import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import net.logstash.logback.marker.Markers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records an {@link AuditEvent} twice: one JSON line on the {@code gatehouse.audit} logger, and a
 * row in the {@link AuditStore}. A store failure is logged, never surfaced to the caller: the
 * decision has already been made and answered.
 */
public final class AuditLog {

  private static final Logger LOG = LoggerFactory.getLogger("gatehouse.audit");
  private static final Logger FAILURES = LoggerFactory.getLogger(AuditLog.class);

  private final AuditStore store;

  public AuditLog(AuditStore store) {
    this.store = store;
  }

  /** Writes the event to the audit log stream and stores it durably. */
  public Future<Void> record(AuditEvent event) {
    log(event);
    return store.append(event).onFailure(e -> FAILURES.error("audit event not stored: {}", event.event(), e));
  }

  /**
   * Writes the event to the audit log stream only: for events anyone can cause in bulk (a request
   * without a valid credential), which must not turn into a write to the store per request.
   */
  public void log(AuditEvent event) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("event", event.event());
    fields.put("outcome", event.outcome());
    putIfPresent(fields, "user_id", event.userId());
    putIfPresent(fields, "ip", event.ip());
    putIfPresent(fields, "request_id", event.requestId());
    putIfPresent(fields, "detail", event.detail());
    LOG.info(Markers.appendEntries(fields), "audit {} {}", event.event(), event.outcome());
  }

  private static void putIfPresent(Map<String, Object> fields, String key, String value) {
    if (value != null) {
      fields.put(key, value);
    }
  }
}
