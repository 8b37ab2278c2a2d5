package io.gatehouse.store;

import io.gatehouse.identity.PendingSignIn;
import io.gatehouse.identity.PendingSignInStore;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** {@link PendingSignInStore} on SQL. */
public final class SqlPendingSignInStore implements PendingSignInStore {

  private final Database db;

  public SqlPendingSignInStore(Database db) {
    this.db = db;
  }

  @Override
  public Future<Void> insert(PendingSignIn p) {
    return db.run("pending_sign_ins.insert", c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO pending_sign_ins (token_hash, user_id, purpose, amr, "
          + "return_to, created_at, expires_at, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        s.setString(1, p.tokenHash());
        s.setString(2, p.userId());
        s.setString(3, p.purpose().name().toLowerCase(Locale.ROOT));
        s.setString(4, Rows.joinNames(p.amr()));
        s.setString(5, p.returnTo());
        Rows.setInstant(s, 6, p.createdAt());
        Rows.setInstant(s, 7, p.expiresAt());
        s.setInt(8, p.attempts());
        s.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public Future<Optional<PendingSignIn>> find(String tokenHash, Instant now) {
    return db.run("pending_sign_ins.find", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT token_hash, user_id, purpose, amr, return_to, created_at, "
          + "expires_at, attempts FROM pending_sign_ins WHERE token_hash = ? AND expires_at > ?")) {
        s.setString(1, tokenHash);
        Rows.setInstant(s, 2, now);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return Optional.<PendingSignIn>empty();
          }
          return Optional.of(new PendingSignIn(rs.getString("token_hash"), rs.getString("user_id"),
              PendingSignIn.Purpose.valueOf(rs.getString("purpose").toUpperCase(Locale.ROOT)), Rows.names(rs, "amr"),
              rs.getString("return_to"), Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"),
              rs.getInt("attempts")));
        }
      }
    });
  }

  @Override
  public Future<Boolean> countAttempt(String tokenHash, int max, Instant now) {
    return db.run("pending_sign_ins.countAttempt", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE pending_sign_ins SET attempts = attempts + 1 "
          + "WHERE token_hash = ? AND attempts < ? AND expires_at > ?")) {
        s.setString(1, tokenHash);
        s.setInt(2, max);
        Rows.setInstant(s, 3, now);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Boolean> consume(String tokenHash, Instant now) {
    return db.run("pending_sign_ins.consume", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "DELETE FROM pending_sign_ins WHERE token_hash = ? AND expires_at > ?")) {
        s.setString(1, tokenHash);
        Rows.setInstant(s, 2, now);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Integer> deleteExpired(Instant now) {
    return db.run("pending_sign_ins.deleteExpired", c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM pending_sign_ins WHERE expires_at <= ?")) {
        Rows.setInstant(s, 1, now);
        return s.executeUpdate();
      }
    });
  }
}
