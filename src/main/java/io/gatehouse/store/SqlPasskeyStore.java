package io.gatehouse.store;

import io.gatehouse.identity.passkey.Passkey;
import io.gatehouse.identity.passkey.PasskeyStore;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link PasskeyStore} on SQL. The primary key keeps a credential id to one passkey; the per-user
 * cap is counted under a lock on the user; a sign-in is recorded by a compare-and-set on the counter.
 */
public final class SqlPasskeyStore implements PasskeyStore {

  private static final String COLUMNS = "credential_id, user_id, name, public_key, aaguid, sign_count, uv_initialized, "
      + "backup_eligible, backup_state, transports, created_at, last_used_at";

  private final Database db;

  public SqlPasskeyStore(Database db) {
    this.db = db;
  }

  @Override
  public Future<Insert> insert(Passkey passkey, int maxPerUser) {
    return db.transaction("passkeys.insert", c -> {
      // An update that changes nothing locks the owner's row until the commit (PostgreSQL's row lock,
      // SQLite's write lock), so two registrations of one user count one after the other: under
      // READ COMMITTED a count alone would let both see room for one more.
      try (PreparedStatement s = c.prepareStatement("UPDATE users SET id = id WHERE id = ?")) {
        s.setString(1, passkey.userId());
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("INSERT INTO passkeys (" + COLUMNS + ") SELECT ?, ?, ?, ?, ?, ?, ?, "
          + "?, ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM passkeys WHERE user_id = ?) < ?")) {
        s.setString(1, passkey.credentialId());
        s.setString(2, passkey.userId());
        s.setString(3, passkey.name());
        s.setBytes(4, passkey.publicKey());
        s.setString(5, passkey.aaguid());
        s.setLong(6, passkey.signCount());
        s.setInt(7, passkey.uvInitialized() ? 1 : 0);
        s.setInt(8, passkey.backupEligible() ? 1 : 0);
        s.setInt(9, passkey.backupState() ? 1 : 0);
        s.setString(10, Rows.joinNames(passkey.transports()));
        Rows.setInstant(s, 11, passkey.createdAt());
        Rows.setInstant(s, 12, passkey.lastUsedAt());
        s.setString(13, passkey.userId());
        s.setInt(14, maxPerUser);
        return s.executeUpdate() == 1 ? Insert.ADDED : Insert.FULL;
      } catch (SQLException e) {
        if (Database.isUniqueViolation(e)) {
          return Insert.DUPLICATE;
        }
        throw e;
      }
    });
  }

  @Override
  public Future<Optional<Passkey>> byCredentialId(String credentialId) {
    return db.run("passkeys.byCredentialId", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM passkeys WHERE credential_id = ?")) {
        s.setString(1, credentialId);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(passkey(rs)) : Optional.<Passkey>empty();
        }
      }
    });
  }

  @Override
  public Future<List<Passkey>> forUser(String userId) {
    return db.run("passkeys.forUser", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
          + " FROM passkeys WHERE user_id = ? ORDER BY created_at, credential_id")) {
        s.setString(1, userId);
        try (ResultSet rs = s.executeQuery()) {
          List<Passkey> out = new ArrayList<>();
          while (rs.next()) {
            out.add(passkey(rs));
          }
          return List.copyOf(out);
        }
      }
    });
  }

  @Override
  public Future<Boolean> rename(String userId, String credentialId, String name) {
    return db.run("passkeys.rename", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE passkeys SET name = ? WHERE credential_id = ? AND user_id = ?")) {
        s.setString(1, name);
        s.setString(2, credentialId);
        s.setString(3, userId);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Boolean> delete(String userId, String credentialId) {
    return db.run("passkeys.delete", c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM passkeys WHERE credential_id = ? AND user_id = ?")) {
        s.setString(1, credentialId);
        s.setString(2, userId);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Boolean> recordUse(String credentialId, long expectedCount, long newCount, boolean backupState,
      Instant at) {
    return db.run("passkeys.recordUse", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE passkeys SET sign_count = ?, backup_state = ?, "
          + "last_used_at = ? WHERE credential_id = ? AND sign_count = ?")) {
        s.setLong(1, newCount);
        s.setInt(2, backupState ? 1 : 0);
        Rows.setInstant(s, 3, at);
        s.setString(4, credentialId);
        s.setLong(5, expectedCount);
        return s.executeUpdate() == 1;
      }
    });
  }

  private static Passkey passkey(ResultSet rs) throws SQLException {
    return new Passkey(rs.getString("credential_id"), rs.getString("user_id"), rs.getString("name"),
        rs.getBytes("public_key"), rs.getString("aaguid"), rs.getLong("sign_count"), rs.getInt("uv_initialized") == 1,
        rs.getInt("backup_eligible") == 1, rs.getInt("backup_state") == 1, Rows.names(rs, "transports"),
        Rows.instant(rs, "created_at"), Rows.instant(rs, "last_used_at"));
  }
}
