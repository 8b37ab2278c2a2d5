package io.gatehouse.store;

import io.gatehouse.oauth.ConsentStore;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link ConsentStore} on SQL. */
public final class SqlConsentStore implements ConsentStore {

  private final Database db;

  public SqlConsentStore(Database db) {
    this.db = db;
  }

  @Override
  public Future<Optional<List<String>>> granted(String userId, String clientId) {
    return db.run("consents.granted", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT scope FROM consents WHERE user_id = ? AND client_id = ?")) {
        s.setString(1, userId);
        s.setString(2, clientId);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(Rows.names(rs, "scope")) : Optional.<List<String>>empty();
        }
      }
    });
  }

  @Override
  public Future<Void> grant(String userId, String clientId, List<String> scopes, Instant at) {
    return db.run("consents.grant", c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO consents (user_id, client_id, scope, granted_at) "
          + "VALUES (?, ?, ?, ?) ON CONFLICT (user_id, client_id) DO UPDATE SET scope = excluded.scope, "
          + "granted_at = excluded.granted_at")) {
        s.setString(1, userId);
        s.setString(2, clientId);
        s.setString(3, Rows.joinNames(scopes));
        Rows.setInstant(s, 4, at);
        s.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public Future<Map<String, List<String>>> forUser(String userId) {
    return db.run("consents.forUser", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT client_id, scope FROM consents WHERE user_id = ? ORDER BY client_id")) {
        s.setString(1, userId);
        try (ResultSet rs = s.executeQuery()) {
          Map<String, List<String>> out = new LinkedHashMap<>();
          while (rs.next()) {
            out.put(rs.getString("client_id"), Rows.names(rs, "scope"));
          }
          return out;
        }
      }
    });
  }

  @Override
  public Future<Boolean> revoke(String userId, String clientId) {
    return db.run("consents.revoke", c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM consents WHERE user_id = ? AND client_id = ?")) {
        s.setString(1, userId);
        s.setString(2, clientId);
        return s.executeUpdate() == 1;
      }
    });
  }
}
