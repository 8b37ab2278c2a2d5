package io.gatehouse.store;

import io.gatehouse.identity.User;
import io.gatehouse.identity.UserStore;
import io.gatehouse.identity.UsernameTakenException;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link UserStore} on SQL. The unique index on {@code username_key} decides concurrent signups of one name. */
public final class SqlUserStore implements UserStore {

  private static final String COLUMNS =
      "id, username, username_key, email, roles, disabled, password_hash, created_at, updated_at";

  private final Database db;

  public SqlUserStore(Database db) {
    this.db = db;
  }

  @Override
  public Future<User> insert(User user) {
    return db.run("users.insert", c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        s.setString(1, user.id());
        s.setString(2, user.username());
        s.setString(3, user.usernameKey());
        s.setString(4, user.email());
        s.setString(5, Rows.joinNames(user.roles()));
        s.setInt(6, user.disabled() ? 1 : 0);
        s.setString(7, user.passwordHash());
        Rows.setInstant(s, 8, user.createdAt());
        Rows.setInstant(s, 9, user.updatedAt());
        s.executeUpdate();
        return user;
      } catch (SQLException e) {
        if (Database.isUniqueViolation(e)) {
          throw new UsernameTakenException();
        }
        throw e;
      }
    });
  }

  @Override
  public Future<Optional<User>> byUsernameKey(String usernameKey) {
    return one("users.byUsernameKey", "username_key", usernameKey);
  }

  @Override
  public Future<Optional<User>> byId(String id) {
    return one("users.byId", "id", id);
  }

  private Future<Optional<User>> one(String operation, String column, String value) {
    return db.run(operation, c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE " + column + " = ?")) {
        s.setString(1, value);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(user(rs)) : Optional.<User>empty();
        }
      }
    });
  }

  @Override
  public Future<Long> count() {
    return db.run("users.count", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM users"); ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Override
  public Future<List<User>> list() {
    return db.run("users.list", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM users ORDER BY created_at, id");
          ResultSet rs = s.executeQuery()) {
        List<User> users = new ArrayList<>();
        while (rs.next()) {
          users.add(user(rs));
        }
        return users;
      }
    });
  }

  @Override
  public Future<Boolean> setPasswordHash(String userId, String passwordHash, Instant at) {
    return db.run("users.setPasswordHash", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?")) {
        s.setString(1, passwordHash);
        Rows.setInstant(s, 2, at);
        s.setString(3, userId);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Boolean> replacePasswordHash(String userId, String expectedHash, String passwordHash, Instant at) {
    return db.run("users.replacePasswordHash", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ? AND password_hash = ?")) {
        s.setString(1, passwordHash);
        Rows.setInstant(s, 2, at);
        s.setString(3, userId);
        s.setString(4, expectedHash);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Boolean> setDisabled(String userId, boolean disabled, Instant at) {
    return db.run("users.setDisabled", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?")) {
        s.setInt(1, disabled ? 1 : 0);
        Rows.setInstant(s, 2, at);
        s.setString(3, userId);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Boolean> setRoles(String userId, List<String> roles, Instant at) {
    return db.run("users.setRoles", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE users SET roles = ?, updated_at = ? WHERE id = ?")) {
        s.setString(1, String.join(" ", roles));
        Rows.setInstant(s, 2, at);
        s.setString(3, userId);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Boolean> delete(String userId) {
    // Sessions and API keys go with the user (ON DELETE CASCADE).
    return db.run("users.delete", c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
        s.setString(1, userId);
        return s.executeUpdate() == 1;
      }
    });
  }

  private static User user(ResultSet rs) throws SQLException {
    return new User(rs.getString("id"), rs.getString("username"), rs.getString("username_key"), rs.getString("email"),
        Rows.names(rs, "roles"), rs.getInt("disabled") != 0, rs.getString("password_hash"),
        Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
  }
}
