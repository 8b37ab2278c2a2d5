package io.gatehouse.identity;

import io.gatehouse.config.Roles;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The administrative operations on accounts, shared by the CLI and the admin API so each change
 * has one implementation: users (list, create, change roles, disable, delete), their sessions
 * (list, revoke) and API keys (list, create, revoke). Validation failures are
 * {@link InvalidFieldException}s naming the field. Thread-safe.
 */
public final class AccountAdmin {

  private final Accounts accounts;
  private final UserStore users;
  private final Sessions sessions;
  private final ApiKeys apiKeys;
  private final SecondFactors secondFactors;
  private final Clock clock;

  public AccountAdmin(Accounts accounts, UserStore users, Sessions sessions, ApiKeys apiKeys, Clock clock,
      SecondFactors secondFactors) {
    this.secondFactors = secondFactors;
    this.accounts = accounts;
    this.users = users;
    this.sessions = sessions;
    this.apiKeys = apiKeys;
    this.clock = clock;
  }

  /** The second factors of {@code userId}: TOTP enrolled or not, recovery codes left. */
  public Future<SecondFactors.Status> factors(String userId) {
    return secondFactors.status(userId);
  }

  /**
   * Removes the user's TOTP factor and recovery codes (a lost phone): the user enrols again, at the
   * next sign-in when {@code identity.mfa} is {@code required}. False when there was nothing to remove.
   */
  public Future<Boolean> resetFactors(String userId) {
    return secondFactors.reset(userId);
  }

  public Future<List<User>> users() {
    return users.list();
  }

  public Future<Optional<User>> user(String id) {
    return users.byId(id);
  }

  /** Creates a user with a password (hashed off the event loop) and roles. */
  public Future<User> createUser(String username, String password, String email, List<String> roles) {
    try {
      validRoles("roles", roles);
    } catch (InvalidFieldException e) {
      return Future.failedFuture(e);
    }
    return accounts.create(username, password, null, email, roles);
  }

  /**
   * Changes a user's roles, disabled flag and/or password (null leaves one as it is). A disabled
   * user cannot log in, and its sessions and API keys stop working at once; after any of these
   * changes the user's sessions, refresh tokens and earlier access tokens end ({@link
   * Sessions#accountChanged}).
   *
   * @return the user as changed, or empty when there is no such user
   */
  public Future<Optional<User>> update(String id, List<String> roles, Boolean disabled, String password) {
    try {
      if (roles != null) {
        validRoles("roles", roles);
      }
    } catch (InvalidFieldException e) {
      return Future.failedFuture(e);
    }
    Future<Boolean> changed = Future.succeededFuture(true);
    if (roles != null) {
      changed = changed.compose(found -> found ? users.setRoles(id, roles, clock.instant())
          : Future.succeededFuture(false));
    }
    if (disabled != null) {
      changed = changed.compose(found -> found ? users.setDisabled(id, disabled, clock.instant())
          : Future.succeededFuture(false));
    }
    if (password != null) {
      changed = changed.compose(found -> found ? users.byId(id).compose(user -> user.isEmpty()
          ? Future.succeededFuture(false) : accounts.setPassword(user.get(), password).map(true))
          : Future.succeededFuture(false));
    }
    boolean credentialsEnd = roles != null || Boolean.TRUE.equals(disabled) || password != null;
    return changed.compose(found -> {
      if (!found) {
        return Future.succeededFuture(Optional.<User>empty());
      }
      // Ending the account's credentials tells every instance the user changed; anything else is said here.
      Future<?> told = credentialsEnd ? sessions.accountChanged(id, null) : Future.succeededFuture();
      if (!credentialsEnd) {
        sessions.userChanged(id);
      }
      return told.compose(done -> users.byId(id));
    });
  }

  /**
   * The one place a user is disabled or enabled; disabling ends the user's sessions and tokens.
   *
   * @return false when there is no such user
   */
  public Future<Boolean> setDisabled(String id, boolean disabled) {
    return users.setDisabled(id, disabled, clock.instant()).compose(found -> {
      if (!found) {
        return Future.succeededFuture(false);
      }
      if (disabled) {
        return sessions.accountChanged(id, null).map(true);
      }
      sessions.userChanged(id);
      return Future.succeededFuture(true);
    });
  }

  /** Sets a user's password without the old one (administrators, the CLI); the user's sessions and tokens end. */
  public Future<Void> setPassword(User user, String password) {
    return accounts.setPassword(user, password).compose(set -> sessions.accountChanged(user.id(), null)).mapEmpty();
  }

  /**
   * Deletes the user with its sessions and API keys. The sessions are ended first, since they may
   * live apart from the user (in Redis), where no foreign key removes them.
   *
   * @return false when there is no such user
   */
  public Future<Boolean> delete(String id) {
    return sessions.accountChanged(id, null).compose(ended -> users.delete(id));
  }

  public Future<List<Session>> sessions(String userId) {
    return sessions.forUser(userId);
  }

  /** @param id a session's id: the SHA-256 of its token, as listed */
  public Future<Boolean> revokeSession(String id) {
    return sessions.revoke(id);
  }

  public Future<List<ApiKey>> apiKeys() {
    return apiKeys.list();
  }

  /** A key for exactly one of a user or a service, with the roles and scopes it may carry; the plaintext is returned once. */
  public Future<ApiKeys.Created> createApiKey(String userId, String service, List<String> roles, List<String> scopes,
      Duration ttl) {
    try {
      if ((userId == null) == (service == null)) {
        throw new InvalidFieldException("user_id", "or service is required, not both");
      }
      if (service != null && !service.matches("[A-Za-z0-9_.-]{1,64}")) {
        throw new InvalidFieldException("service", "must be 1-64 of A-Z a-z 0-9 _ . -");
      }
      validRoles("roles", roles);
      validRoles("scopes", scopes);
    } catch (InvalidFieldException e) {
      return Future.failedFuture(e);
    }
    Future<Boolean> owner = userId == null ? Future.succeededFuture(true) : users.byId(userId).map(Optional::isPresent);
    return owner.compose(exists -> exists ? apiKeys.create(userId, service, roles, scopes, ttl)
        : Future.failedFuture(new InvalidFieldException("user_id", "names no user")));
  }

  public Future<Boolean> revokeApiKey(String id) {
    return apiKeys.revoke(id);
  }

  private static void validRoles(String field, List<String> names) throws InvalidFieldException {
    for (String name : names) {
      try {
        Roles.parse(name);
      } catch (IllegalArgumentException e) {
        throw new InvalidFieldException(field, "must hold names of " + e.getMessage());
      }
    }
  }
}
