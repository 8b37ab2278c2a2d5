package io.gatehouse.store;

import io.gatehouse.oauth.AuthorizationCode;
import io.gatehouse.oauth.AuthorizationCodeStore;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** {@link AuthorizationCodeStore} on SQL. */
public final class SqlAuthorizationCodeStore implements AuthorizationCodeStore {

  private static final String COLUMNS = "code_hash, client_id, user_id, redirect_uri, scope, code_challenge, created_at, "
      + "expires_at, used_at, access_jti, access_exp, refresh_family, nonce, auth_time, sid, amr";

  private final Database db;

  public SqlAuthorizationCodeStore(Database db) {
    this.db = db;
  }

  @Override
  public Future<Void> insert(AuthorizationCode code) {
    return db.run("authorization_codes.insert", c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO authorization_codes (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        s.setString(1, code.codeHash());
        s.setString(2, code.clientId());
        s.setString(3, code.userId());
        s.setString(4, code.redirectUri());
        s.setString(5, Rows.joinNames(code.scopes()));
        s.setString(6, code.codeChallenge());
        Rows.setInstant(s, 7, code.createdAt());
        Rows.setInstant(s, 8, code.expiresAt());
        Rows.setInstant(s, 9, code.usedAt());
        s.setString(10, code.accessJti());
        Rows.setInstant(s, 11, code.accessExpiresAt());
        s.setString(12, code.refreshFamily());
        s.setString(13, code.signIn().nonce());
        Rows.setInstant(s, 14, code.signIn().authTime());
        s.setString(15, code.signIn().sid());
        s.setString(16, Rows.joinNames(code.signIn().amr()));
        s.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public Future<Optional<AuthorizationCode>> byHash(String codeHash) {
    return db.run("authorization_codes.byHash", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM authorization_codes WHERE code_hash = ?")) {
        s.setString(1, codeHash);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return Optional.<AuthorizationCode>empty();
          }
          return Optional.of(new AuthorizationCode(rs.getString("code_hash"), rs.getString("client_id"),
              rs.getString("user_id"), rs.getString("redirect_uri"), Rows.names(rs, "scope"),
              rs.getString("code_challenge"), Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"),
              Rows.instant(rs, "used_at"), rs.getString("access_jti"), Rows.instant(rs, "access_exp"),
              rs.getString("refresh_family"), new AuthorizationCode.SignIn(rs.getString("nonce"),
                  Rows.instant(rs, "auth_time"), rs.getString("sid"), Rows.names(rs, "amr"))));
        }
      }
    });
  }

  @Override
  public Future<Boolean> markUsed(String codeHash, Instant at, Issued issued) {
    return db.run("authorization_codes.markUsed", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE authorization_codes SET used_at = ?, access_jti = ?, "
          + "access_exp = ?, refresh_family = ? WHERE code_hash = ? AND used_at IS NULL")) {
        Rows.setInstant(s, 1, at);
        s.setString(2, issued.accessJti());
        Rows.setInstant(s, 3, issued.accessExpiresAt());
        s.setString(4, issued.refreshFamily());
        s.setString(5, codeHash);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Optional<AuthorizationCode>> replayed(String codeHash, Instant at) {
    return db.run("authorization_codes.replayed", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE authorization_codes SET replayed_at = ? "
          + "WHERE code_hash = ? AND used_at IS NOT NULL AND replayed_at IS NULL")) {
        Rows.setInstant(s, 1, at);
        s.setString(2, codeHash);
        s.executeUpdate();
        return null;
      }
    }).compose(marked -> byHash(codeHash));
  }

  @Override
  public Future<Boolean> isReplayed(String codeHash) {
    return db.run("authorization_codes.isReplayed", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT replayed_at FROM authorization_codes WHERE code_hash = ?")) {
        s.setString(1, codeHash);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() && Rows.instant(rs, "replayed_at") != null;
        }
      }
    });
  }

  @Override
  public Future<Integer> deleteExpired(Instant before) {
    return db.run("authorization_codes.deleteExpired", c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM authorization_codes WHERE expires_at <= ?")) {
        Rows.setInstant(s, 1, before);
        return s.executeUpdate();
      }
    });
  }
}
