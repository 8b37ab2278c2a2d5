package io.gatehouse.store;

import io.gatehouse.oauth.RefreshToken;
import io.gatehouse.oauth.RefreshTokenStore;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link RefreshTokenStore} on SQL. */
public final class SqlRefreshTokenStore implements RefreshTokenStore {

  private static final String COLUMNS = "token_hash, family_id, client_id, user_id, scope, access_jti, access_exp, "
      + "created_at, expires_at, used_at, revoked_at, sid, audience, amr, auth_time";

  private final Database db;

  public SqlRefreshTokenStore(Database db) {
    this.db = db;
  }

  @Override
  public Future<Boolean> insert(RefreshToken token) {
    // Stored (and committed) first, then the family looked at: see the interface.
    return db.run("refresh_tokens.insert", c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO refresh_tokens (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        s.setString(1, token.tokenHash());
        s.setString(2, token.familyId());
        s.setString(3, token.clientId());
        s.setString(4, token.userId());
        s.setString(5, Rows.joinNames(token.scopes()));
        s.setString(6, token.accessJti());
        Rows.setInstant(s, 7, token.accessExpiresAt());
        Rows.setInstant(s, 8, token.createdAt());
        Rows.setInstant(s, 9, token.expiresAt());
        Rows.setInstant(s, 10, token.usedAt());
        Rows.setInstant(s, 11, token.revokedAt());
        s.setString(12, token.sid());
        s.setString(13, Rows.joinNames(token.audiences()));
        s.setString(14, token.amr().isEmpty() ? null : Rows.joinNames(token.amr()));
        Rows.setInstant(s, 15, token.authTime());
        s.executeUpdate();
        return null;
      }
    }).compose(stored -> isFamilyRevoked(token.familyId())).map(revoked -> !revoked);
  }

  @Override
  public Future<Optional<RefreshToken>> byHash(String tokenHash) {
    return db.run("refresh_tokens.byHash", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM refresh_tokens WHERE token_hash = ?")) {
        s.setString(1, tokenHash);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(token(rs)) : Optional.<RefreshToken>empty();
        }
      }
    });
  }

  @Override
  public Future<Boolean> markUsed(String tokenHash, Instant at) {
    return db.run("refresh_tokens.markUsed", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? "
          + "AND used_at IS NULL AND revoked_at IS NULL AND NOT EXISTS (SELECT 1 FROM refresh_tokens f "
          + "WHERE f.family_id = refresh_tokens.family_id AND f.revoked_at IS NOT NULL)")) {
        Rows.setInstant(s, 1, at);
        s.setString(2, tokenHash);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Boolean> isFamilyRevoked(String familyId) {
    return db.run("refresh_tokens.isFamilyRevoked", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT 1 FROM refresh_tokens WHERE family_id = ? AND revoked_at IS NOT NULL LIMIT 1")) {
        s.setString(1, familyId);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  @Override
  public Future<List<RefreshToken>> revokeFamily(String familyId, Instant at) {
    return revokeFamilies("family_id = ?", List.of(familyId), at);
  }

  @Override
  public Future<List<RefreshToken>> revokeForUser(String userId, Instant at) {
    return revokeFamilies("family_id IN (SELECT family_id FROM refresh_tokens WHERE user_id = ?)", List.of(userId), at);
  }

  @Override
  public Future<List<RefreshToken>> revokeForSession(String sid, Instant at) {
    return revokeFamilies("family_id IN (SELECT family_id FROM refresh_tokens WHERE sid = ?)", List.of(sid), at);
  }

  @Override
  public Future<List<RefreshToken>> revokeForClient(String userId, String clientId, Instant at) {
    return revokeFamilies("family_id IN (SELECT family_id FROM refresh_tokens WHERE user_id = ? AND client_id = ?)",
        List.of(userId, clientId), at);
  }

  /**
   * Revokes the families {@code where} selects (its parameters {@code values}) and commits, and only then reads their tokens, in a
   * statement of its own: a rotation that stored its token too late for the update is either seen
   * by this read or sees the revocation itself.
   */
  private Future<List<RefreshToken>> revokeFamilies(String where, List<String> values, Instant at) {
    return db.run("refresh_tokens.revokeFamilies", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE refresh_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND " + where)) {
        Rows.setInstant(s, 1, at);
        for (int i = 0; i < values.size(); i++) {
          s.setString(i + 2, values.get(i));
        }
        return s.executeUpdate();
      }
    }).compose(revoked -> db.run("refresh_tokens.revokedFamilies", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM refresh_tokens WHERE " + where)) {
        for (int i = 0; i < values.size(); i++) {
          s.setString(i + 1, values.get(i));
        }
        try (ResultSet rs = s.executeQuery()) {
          List<RefreshToken> tokens = new ArrayList<>();
          while (rs.next()) {
            tokens.add(token(rs));
          }
          return tokens;
        }
      }
    }));
  }

  @Override
  public Future<Integer> deleteExpired(Instant now) {
    return db.run("refresh_tokens.deleteExpired", c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM refresh_tokens WHERE expires_at <= ?")) {
        Rows.setInstant(s, 1, now);
        return s.executeUpdate();
      }
    });
  }

  private static RefreshToken token(ResultSet rs) throws SQLException {
    return new RefreshToken(rs.getString("token_hash"), rs.getString("family_id"), rs.getString("client_id"),
        rs.getString("user_id"), Rows.names(rs, "scope"), rs.getString("access_jti"), Rows.instant(rs, "access_exp"),
        Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"), Rows.instant(rs, "used_at"),
        Rows.instant(rs, "revoked_at"), rs.getString("sid"), Rows.names(rs, "audience"), Rows.names(rs, "amr"),
        Rows.instant(rs, "auth_time"));
  }
}
