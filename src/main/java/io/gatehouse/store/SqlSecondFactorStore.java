package io.gatehouse.store;

import io.gatehouse.identity.SecondFactorStore;
import io.gatehouse.identity.TotpFactor;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link SecondFactorStore} on SQL: each single-use check is one conditional statement. */
public final class SqlSecondFactorStore implements SecondFactorStore {

  private final Database db;

  public SqlSecondFactorStore(Database db) {
    this.db = db;
  }

  @Override
  public Future<Optional<TotpFactor>> totp(String userId) {
    return db.run("totp_factors.byUser", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT secret, created_at, confirmed_at, last_step FROM totp_factors WHERE user_id = ?")) {
        s.setString(1, userId);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(new TotpFactor(userId, rs.getString("secret"), Rows.instant(rs, "created_at"),
              Rows.instant(rs, "confirmed_at"), rs.getLong("last_step"))) : Optional.<TotpFactor>empty();
        }
      }
    });
  }

  @Override
  public Future<Boolean> beginTotp(String userId, String sealedSecret, Instant at) {
    // One statement: a confirmed factor is never overwritten, whatever runs beside it.
    return db.run("totp_factors.begin", c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO totp_factors (user_id, secret, created_at) "
          + "VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, "
          + "created_at = excluded.created_at WHERE totp_factors.confirmed_at IS NULL")) {
        s.setString(1, userId);
        s.setString(2, sealedSecret);
        Rows.setInstant(s, 3, at);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Boolean> confirmTotp(String userId, String sealedSecret, long step, Instant at,
      List<String> recoveryHashes) {
    return db.transaction("totp_factors.confirm", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE totp_factors SET confirmed_at = ?, last_step = ? "
          + "WHERE user_id = ? AND confirmed_at IS NULL AND secret = ?")) {
        Rows.setInstant(s, 1, at);
        s.setLong(2, step);
        s.setString(3, userId);
        s.setString(4, sealedSecret);
        if (s.executeUpdate() != 1) {
          return false;
        }
      }
      replaceRecoveryCodes(c, userId, recoveryHashes, at);
      return true;
    });
  }

  private static void replaceRecoveryCodes(java.sql.Connection c, String userId, List<String> hashes, Instant at)
      throws java.sql.SQLException {
    try (PreparedStatement s = c.prepareStatement("DELETE FROM recovery_codes WHERE user_id = ?")) {
      s.setString(1, userId);
      s.executeUpdate();
    }
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)")) {
      for (String hash : hashes) {
        s.setString(1, userId);
        s.setString(2, hash);
        Rows.setInstant(s, 3, at);
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  @Override
  public Future<Boolean> useStep(String userId, long step) {
    return db.run("totp_factors.useStep", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE totp_factors SET last_step = ? "
          + "WHERE user_id = ? AND confirmed_at IS NOT NULL AND last_step < ?")) {
        s.setLong(1, step);
        s.setString(2, userId);
        s.setLong(3, step);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Boolean> useRecoveryCode(String userId, String codeHash) {
    return db.run("recovery_codes.use", c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM recovery_codes WHERE user_id = ? AND code_hash = ?")) {
        s.setString(1, userId);
        s.setString(2, codeHash);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Integer> recoveryCodesLeft(String userId) {
    return db.run("recovery_codes.count", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?")) {
        s.setString(1, userId);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  @Override
  public Future<Boolean> replaceRecoveryCodes(String userId, List<String> hashes, Instant at) {
    return db.transaction("recovery_codes.replace", c -> {
      // An update that changes nothing, not a SELECT: it finds the confirmed factor and locks its row
      // until the commit (PostgreSQL's row lock, SQLite's write lock), so a reset waits for the
      // new codes and deletes them with the factor, or runs first and leaves nothing to match.
      try (PreparedStatement s = c.prepareStatement("UPDATE totp_factors SET confirmed_at = confirmed_at "
          + "WHERE user_id = ? AND confirmed_at IS NOT NULL")) {
        s.setString(1, userId);
        if (s.executeUpdate() != 1) {
          return false;
        }
      }
      replaceRecoveryCodes(c, userId, hashes, at);
      return true;
    });
  }

  @Override
  public Future<Boolean> reset(String userId) {
    return db.transaction("totp_factors.reset", c -> {
      int removed;
      try (PreparedStatement s = c.prepareStatement("DELETE FROM totp_factors WHERE user_id = ?")) {
        s.setString(1, userId);
        removed = s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("DELETE FROM recovery_codes WHERE user_id = ?")) {
        s.setString(1, userId);
        removed += s.executeUpdate();
      }
      return removed > 0;
    });
  }
}
