package io.gatehouse.store;

import io.gatehouse.keys.SigningKeyStore;
import io.gatehouse.keys.StoredKey;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link SigningKeyStore} on SQL. */
public final class SqlSigningKeyStore implements SigningKeyStore {

  private final Database db;

  public SqlSigningKeyStore(Database db) {
    this.db = db;
  }

  @Override
  public Future<List<StoredKey>> list() {
    return db.run("signing_keys.list", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT kid, algorithm, sealed_jwk, created_at, active_from, retired_at FROM signing_keys ORDER BY created_at, kid");
          ResultSet rs = s.executeQuery()) {
        List<StoredKey> keys = new ArrayList<>();
        while (rs.next()) {
          keys.add(new StoredKey(rs.getString("kid"), rs.getString("algorithm"), rs.getString("sealed_jwk"),
              Rows.instant(rs, "created_at"), Rows.instant(rs, "active_from"), Rows.instant(rs, "retired_at")));
        }
        return keys;
      }
    });
  }

  @Override
  public Future<Void> insert(StoredKey key) {
    return db.run("signing_keys.insert", c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO signing_keys "
          + "(kid, algorithm, sealed_jwk, created_at, active_from, retired_at) VALUES (?, ?, ?, ?, ?, ?)")) {
        s.setString(1, key.kid());
        s.setString(2, key.algorithm());
        s.setString(3, key.sealedJwk());
        Rows.setInstant(s, 4, key.createdAt());
        Rows.setInstant(s, 5, key.activeFrom());
        Rows.setInstant(s, 6, key.retiredAt());
        s.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public Future<Boolean> update(String kid, Instant activeFrom, Instant retiredAt) {
    return db.run("signing_keys.update", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE signing_keys SET active_from = ?, retired_at = ? WHERE kid = ?")) {
        Rows.setInstant(s, 1, activeFrom);
        Rows.setInstant(s, 2, retiredAt);
        s.setString(3, kid);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Boolean> delete(String kid) {
    return db.run("signing_keys.delete", c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM signing_keys WHERE kid = ?")) {
        s.setString(1, kid);
        return s.executeUpdate() == 1;
      }
    });
  }
}
