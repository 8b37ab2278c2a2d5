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
    return db.run(c -> {
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
    return db.run(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT jti, expires_at FROM revoked_tokens WHERE expires_at > ?")) {
        Rows.setInstant(s, 1, now);
        try (ResultSet rs = s.executeQuery()) {
          Map<String, Instant> live = new HashMap<>();
          while (rs.next()) {
            live.put(rs.getString("jti"), Rows.instant(rs, "expires_at"));
          }
          return live;
        }
      }
    });
  }

  @Override
  public Future<Integer> deleteExpired(Instant now) {
    return db.run(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM revoked_tokens WHERE expires_at <= ?")) {
        Rows.setInstant(s, 1, now);
        return s.executeUpdate();
      }
    });
  }
}
