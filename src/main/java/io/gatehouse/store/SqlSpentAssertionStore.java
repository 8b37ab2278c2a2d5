package io.gatehouse.store;

import io.gatehouse.oauth.SpentAssertionStore;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.time.Instant;

/** {@link SpentAssertionStore} on SQL: the primary key makes the first use win, whoever races it. */
public final class SqlSpentAssertionStore implements SpentAssertionStore {

  private final Database db;

  public SqlSpentAssertionStore(Database db) {
    this.db = db;
  }

  @Override
  public Future<Boolean> spend(String id, Instant expiresAt) {
    return db.run("spent_assertions.spend", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO spent_assertions (id, expires_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")) {
        s.setString(1, id);
        Rows.setInstant(s, 2, expiresAt);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Integer> deleteExpired(Instant now) {
    return db.run("spent_assertions.deleteExpired", c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM spent_assertions WHERE expires_at <= ?")) {
        Rows.setInstant(s, 1, now);
        return s.executeUpdate();
      }
    });
  }
}
