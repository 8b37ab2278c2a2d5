package io.gatehouse.store;

import io.gatehouse.oauth.RevocationStore;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** {@link RevocationStore} on SQL. */
public final class SqlRevocationStore implements RevocationStore {

  private final Database db;

  public SqlRevocationStore(Database db) {
    this.db = db;
  }

  @Override
  public Future<Void> insert(String jti, Instant expiresAt) {
    return db.run("revocations.insert", c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING")) {
        s.setString(1, jti);
        Rows.setInstant(s, 2, expiresAt);
        s.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public Future<Map<String, Instant>> live(Instant now) {
    return times("revocations.live", "SELECT jti, expires_at FROM revoked_tokens WHERE expires_at > ?", now);
  }

  @Override
  public Future<Instant> cutOff(String subject, Instant notBefore, Instant expiresAt) {
    return db.run("revocations.cutOff", c -> {
      // One statement, so two cut-offs of one subject at once each move it on.
      try (PreparedStatement s = c.prepareStatement("INSERT INTO revoked_subjects (subject, not_before, expires_at) "
          + "VALUES (?, ?, ?) ON CONFLICT (subject) DO UPDATE SET "
          + "not_before = CASE WHEN excluded.not_before > revoked_subjects.not_before "
          + "THEN excluded.not_before ELSE revoked_subjects.not_before + 1000 END, "
          + "expires_at = CASE WHEN excluded.expires_at > revoked_subjects.expires_at "
          + "THEN excluded.expires_at ELSE revoked_subjects.expires_at + 1000 END "
          + "RETURNING not_before")) {
        s.setString(1, subject);
        Rows.setInstant(s, 2, notBefore);
        Rows.setInstant(s, 3, expiresAt);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          return Instant.ofEpochMilli(rs.getLong(1));
        }
      }
    });
  }

  @Override
  public Future<Map<String, Instant>> cutOffs(Instant now) {
    return times("revocations.cutOffs", "SELECT subject, not_before FROM revoked_subjects WHERE expires_at > ?", now);
  }

  /** The first column's values and the second column's times, of the rows {@code sql} selects at {@code now}. */
  private Future<Map<String, Instant>> times(String operation, String sql, Instant now) {
    return db.run(operation, c -> {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        Rows.setInstant(s, 1, now);
        try (ResultSet rs = s.executeQuery()) {
          Map<String, Instant> found = new HashMap<>();
          while (rs.next()) {
            found.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
          }
          return found;
        }
      }
    });
  }

  @Override
  public Future<Integer> deleteExpired(Instant now) {
    return db.run("revocations.deleteExpired", c -> {
      int deleted = 0;
      for (String table : new String[] {"revoked_tokens", "revoked_subjects"}) {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE expires_at <= ?")) {
          Rows.setInstant(s, 1, now);
          deleted += s.executeUpdate();
        }
      }
      return deleted;
    });
  }
}
