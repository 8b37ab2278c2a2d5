package io.gatehouse.identity;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where accounts live. Implementations never block the calling event loop; every write is durable when its future completes. */
public interface UserStore {

  /** Stores a new account; fails with {@link UsernameTakenException} when its {@code usernameKey} is in use. */
  Future<User> insert(User user);

  Future<Optional<User>> byUsernameKey(String usernameKey);

  Future<Optional<User>> byId(String id);

  /** How many accounts exist. */
  Future<Long> count();

  /** Every account, oldest first. */
  Future<List<User>> list();

  /** @return false when no such user exists */
  Future<Boolean> setPasswordHash(String userId, String passwordHash, Instant at);

  /**
   * Replaces the password hash only if it is still {@code expectedHash} (compare-and-set, in one
   * statement), so an upgrade computed from an old hash can never undo a password change made meanwhile.
   *
   * @return false when the user does not exist or its hash has changed
   */
  Future<Boolean> replacePasswordHash(String userId, String expectedHash, String passwordHash, Instant at);

  /** @return false when no such user exists */
  Future<Boolean> setDisabled(String userId, boolean disabled, Instant at);

  /** @return false when there is no such user */
  Future<Boolean> setRoles(String userId, List<String> roles, Instant at);

  /** Deletes the user with its sessions and API keys. @return false when there is no such user */
  Future<Boolean> delete(String userId);
}
