package io.gatehouse.store;

import io.gatehouse.identity.Session;
import io.gatehouse.identity.SessionStore;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link SessionStore} on SQL. */
public final class SqlSessionStore implements SessionStore {

  private final Database db;

  public SqlSessionStore(Database db) {
    this.db = db;
  }

  @Override
  public Future<Void> insert(Session session) {
    return db.run("sessions.insert", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, amr, device, address)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        s.setString(1, session.tokenHash());
        s.setString(2, session.userId());
        Rows.setInstant(s, 3, session.createdAt());
        Rows.setInstant(s, 4, session.lastSeenAt());
        Rows.setInstant(s, 5, session.expiresAt());
        s.setString(6, Rows.joinNames(session.amr()));
        s.setString(7, session.device());
        s.setString(8, session.address());
        s.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public Future<Optional<Session>> byTokenHash(String tokenHash) {
    return db.run("sessions.byTokenHash", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM sessions WHERE token_hash = ?")) {
        s.setString(1, tokenHash);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(session(rs)) : Optional.<Session>empty();
        }
      }
    });
  }

  @Override
  public Future<List<Session>> forUser(String userId) {
    return db.run("sessions.forUser", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM sessions WHERE user_id = ? ORDER BY created_at DESC")) {
        s.setString(1, userId);
        try (ResultSet rs = s.executeQuery()) {
          List<Session> sessions = new ArrayList<>();
          while (rs.next()) {
            sessions.add(session(rs));
          }
          return sessions;
        }
      }
    });
  }

  private static final String COLUMNS = "token_hash, user_id, created_at, last_seen_at, expires_at, amr, device, address";

  private static Session session(ResultSet rs) throws SQLException {
    return new Session(rs.getString("token_hash"), rs.getString("user_id"), Rows.instant(rs, "created_at"),
        Rows.instant(rs, "last_seen_at"), Rows.instant(rs, "expires_at"), Rows.names(rs, "amr"),
        rs.getString("device"), rs.getString("address"));
  }

  @Override
  public Future<Void> touch(String tokenHash, Instant lastSeenAt) {
    return db.run("sessions.touch", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at < ?")) {
        Rows.setInstant(s, 1, lastSeenAt);
        s.setString(2, tokenHash);
        Rows.setInstant(s, 3, lastSeenAt);
        s.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public Future<Boolean> delete(String tokenHash) {
    return db.run("sessions.delete", c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM sessions WHERE token_hash = ?")) {
        s.setString(1, tokenHash);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Integer> deleteForUser(String userId, String keepTokenHash) {
    return db.run("sessions.deleteForUser", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "DELETE FROM sessions WHERE user_id = ? AND token_hash IS DISTINCT FROM ?")) {
        s.setString(1, userId);
        s.setString(2, keepTokenHash);
        return s.executeUpdate();
      }
    });
  }

  @Override
  public Future<Integer> deleteExpired(Instant now, Instant idleCutoff) {
    return db.run("sessions.deleteExpired", c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?")) {
        Rows.setInstant(s, 1, now);
        Rows.setInstant(s, 2, idleCutoff);
        return s.executeUpdate();
      }
    });
  }
}
