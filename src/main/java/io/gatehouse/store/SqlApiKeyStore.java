package io.gatehouse.store;

import io.gatehouse.identity.ApiKey;
import io.gatehouse.identity.ApiKeyStore;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link ApiKeyStore} on SQL. */
public final class SqlApiKeyStore implements ApiKeyStore {

  private static final String COLUMNS =
      "id, secret_hash, user_id, service, roles, scopes, created_at, expires_at, last_used_at, revoked_at";

  private final Database db;

  public SqlApiKeyStore(Database db) {
    this.db = db;
  }

  @Override
  public Future<Void> insert(ApiKey key) {
    return db.run("api_keys.insert", c -> {
      insert(c, key);
      return null;
    });
  }

  @Override
  public Future<Boolean> insertCapped(ApiKey key, int maxLive) {
    return db.transaction("api_keys.insertCapped", c -> {
      // An update that changes nothing locks the owner's row until the commit (PostgreSQL's row lock,
      // SQLite's write lock): two keys made at once are counted one after the other.
      try (PreparedStatement s = c.prepareStatement("UPDATE users SET id = id WHERE id = ?")) {
        s.setString(1, key.userId());
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM api_keys WHERE user_id = ? "
          + "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)")) {
        s.setString(1, key.userId());
        Rows.setInstant(s, 2, key.createdAt());
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          if (rs.getLong(1) >= maxLive) {
            return false;
          }
        }
      }
      insert(c, key);
      return true;
    });
  }

  private static void insert(Connection c, ApiKey key) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO api_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, key.id());
      s.setString(2, key.secretHash());
      s.setString(3, key.userId());
      s.setString(4, key.service());
      s.setString(5, Rows.joinNames(key.roles()));
      s.setString(6, Rows.joinNames(key.scopes()));
      Rows.setInstant(s, 7, key.createdAt());
      Rows.setInstant(s, 8, key.expiresAt());
      Rows.setInstant(s, 9, key.lastUsedAt());
      Rows.setInstant(s, 10, key.revokedAt());
      s.executeUpdate();
    }
  }

  @Override
  public Future<Optional<ApiKey>> byId(String id) {
    return db.run("api_keys.byId", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?")) {
        s.setString(1, id);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(key(rs)) : Optional.<ApiKey>empty();
        }
      }
    });
  }

  @Override
  public Future<List<ApiKey>> list() {
    return db.run("api_keys.list", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id");
          ResultSet rs = s.executeQuery()) {
        List<ApiKey> keys = new ArrayList<>();
        while (rs.next()) {
          keys.add(key(rs));
        }
        return keys;
      }
    });
  }

  @Override
  public Future<List<ApiKey>> forUser(String userId) {
    return db.run("api_keys.forUser", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM api_keys WHERE user_id = ? ORDER BY created_at DESC, id DESC")) {
        s.setString(1, userId);
        try (ResultSet rs = s.executeQuery()) {
          List<ApiKey> keys = new ArrayList<>();
          while (rs.next()) {
            keys.add(key(rs));
          }
          return keys;
        }
      }
    });
  }

  @Override
  public Future<Boolean> revokeOwned(String id, String userId, Instant at) {
    return db.run("api_keys.revokeOwned", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL")) {
        Rows.setInstant(s, 1, at);
        s.setString(2, id);
        s.setString(3, userId);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Boolean> revoke(String id, Instant at) {
    return db.run("api_keys.revoke", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
        Rows.setInstant(s, 1, at);
        s.setString(2, id);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Void> touch(String id, Instant lastUsedAt) {
    return db.run("api_keys.touch", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE api_keys SET last_used_at = ? WHERE id = ?")) {
        Rows.setInstant(s, 1, lastUsedAt);
        s.setString(2, id);
        s.executeUpdate();
        return null;
      }
    });
  }

  private static ApiKey key(ResultSet rs) throws SQLException {
    return new ApiKey(rs.getString("id"), rs.getString("secret_hash"), rs.getString("user_id"), rs.getString("service"),
        Rows.names(rs, "roles"), Rows.names(rs, "scopes"), Rows.instant(rs, "created_at"),
        Rows.instant(rs, "expires_at"), Rows.instant(rs, "last_used_at"), Rows.instant(rs, "revoked_at"));
  }
}
