package io.gatehouse.store;

import io.gatehouse.observability.AuditEvent;
import io.gatehouse.observability.AuditStore;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** {@link AuditStore} on SQL: an append-only table. */
public final class SqlAuditStore implements AuditStore {

  private final Database db;

  public SqlAuditStore(Database db) {
    this.db = db;
  }

  @Override
  public Future<Void> append(AuditEvent event) {
    return db.run("audit.append", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO audit_events (time, event, outcome, user_id, ip, request_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        Rows.setInstant(s, 1, event.time());
        s.setString(2, event.event());
        s.setString(3, event.outcome());
        s.setString(4, event.userId());
        s.setString(5, event.ip());
        s.setString(6, event.requestId());
        s.setString(7, event.detail());
        s.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public Future<List<AuditEvent>> recent(int limit) {
    return db.run("audit.recent", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT time, event, outcome, user_id, ip, request_id, detail FROM audit_events ORDER BY seq DESC LIMIT ?")) {
        s.setInt(1, limit);
        try (ResultSet rs = s.executeQuery()) {
          List<AuditEvent> events = new ArrayList<>();
          while (rs.next()) {
            events.add(new AuditEvent(Rows.instant(rs, "time"), rs.getString("event"), rs.getString("outcome"),
                rs.getString("user_id"), rs.getString("ip"), rs.getString("request_id"), rs.getString("detail")));
          }
          return events;
        }
      }
    });
  }
}
