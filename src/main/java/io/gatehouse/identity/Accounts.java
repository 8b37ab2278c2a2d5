package io.gatehouse.identity;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Account rules over a {@link UserStore}: creating users (username and password policy, Argon2id),
 * checking a login in constant work whether or not the user exists, and changing passwords.
 * Password hashing runs on a {@link HashingPool}: few threads, which caps the memory Argon2 takes,
 * and a bounded queue, which keeps a flood of logins from delaying every other one.
 */
public final class Accounts {

  private static final Pattern EMAIL = Pattern.compile("[^\\s@\\p{Cntrl}]{1,64}@[^\\s@\\p{Cntrl}]{1,189}");

  private final UserStore users;
  private final PasswordHasher hasher;
  private final PasswordPolicy policy;
  private final HashingPool hashing;
  private final Clock clock;
  private final String dummyHash;

  /** Blocking (computes one hash to compare unknown users against): build it off the event loop. */
  public Accounts(UserStore users, PasswordHasher hasher, PasswordPolicy policy, HashingPool hashing, Clock clock) {
    this.users = users;
    this.hasher = hasher;
    this.policy = policy;
    this.hashing = hashing;
    this.clock = clock;
    this.dummyHash = hasher.hash(UUID.randomUUID().toString());
  }

  /**
   * Creates an account with a password, or with {@code importedHash} (a PHC string, CLI imports) when
   * the password is null. Fails with {@link InvalidFieldException} or {@link UsernameTakenException}.
   */
  public Future<User> create(String username, String password, String importedHash, String email, List<String> roles) {
    String name = Username.normalize(username);
    if (name == null) {
      return Future.failedFuture(new InvalidFieldException("username",
          "must be 3 to 64 letters, digits or . _ - @, starting with a letter or digit"));
    }
    if (Username.looksLikeAnother(name)) {
      return Future.failedFuture(new InvalidFieldException("username",
          "must not mix writing systems (such as Latin with Cyrillic letters) or hide invisible characters"));
    }
    if (email != null && (email.length() > 254 || !EMAIL.matcher(email).matches())) {
      return Future.failedFuture(new InvalidFieldException("email", "must be an e-mail address"));
    }
    Future<String> hash;
    if (importedHash != null) {
      String problem = PasswordHasher.checkImport(importedHash);
      if (problem != null) {
        return Future.failedFuture(new InvalidFieldException("password_hash", problem));
      }
      hash = Future.succeededFuture(importedHash);
    } else {
      String problem = policy.check(password, name);
      if (problem != null) {
        return Future.failedFuture(new InvalidFieldException("password", problem));
      }
      hash = hash(password);
    }
    return hash.compose(phc -> {
      Instant now = clock.instant();
      return users.insert(new User(UUID.randomUUID().toString(), name, Username.key(name), email, roles, false, phc, now, now));
    });
  }

  /**
   * The outcome of a login attempt.
   *
   * @param admitted the user who may log in, or null
   * @param accountId the id of the account the name belongs to, admitted or not, or null when no
   *     account has that name: the audit trail names an account only when it exists, so a password
   *     typed into the username field never reaches a log
   */
  public record Attempt(User admitted, String accountId) {
  }

  /**
   * Checks a name and password. An unknown name costs one hash just like a known one, and a
   * disabled user's password is still checked, so neither answer nor timing says which case
   * applied. A hash with outdated parameters is replaced.
   */
  public Future<Attempt> authenticate(String username, String password) {
    return lookup(username).compose(user -> {
      String accountId = user.map(User::id).orElse(null);
      if (password == null || password.length() > PasswordPolicy.MAX_LENGTH * 4) {
        return verify(dummyHash, "").map(ignored -> new Attempt(null, accountId));
      }
      String phc = user.map(User::passwordHash).orElse(dummyHash);
      return verify(phc, password).compose(ok -> {
        if (!ok || user.isEmpty() || user.get().passwordHash() == null || user.get().disabled()) {
          return Future.succeededFuture(new Attempt(null, accountId));
        }
        User u = user.get();
        if (!hasher.needsRehash(u.passwordHash())) {
          return Future.succeededFuture(new Attempt(u, accountId));
        }
        // Compare-and-set on the hash that was verified: a password changed meanwhile stays changed.
        return hash(password)
            .compose(upgraded -> users.replacePasswordHash(u.id(), u.passwordHash(), upgraded, clock.instant()))
            .map(done -> new Attempt(u, accountId));
      });
    });
  }

  /** The account called {@code username} (NFKC, any case), or empty. */
  public Future<Optional<User>> lookup(String username) {
    String name = username == null ? null : Username.normalize(username);
    return name == null ? Future.succeededFuture(Optional.empty()) : users.byUsernameKey(Username.key(name));
  }

  /**
   * Replaces {@code user}'s password after checking the current one. Fails with
   * {@link InvalidFieldException} on {@code current_password} (wrong) or {@code new_password} (policy).
   *
   * @param beforeStore runs once the current password is proven and the new one accepted and
   *     hashed, just before it is stored: when it fails, nothing is stored (what must follow a
   *     password change, such as ending the other sessions, is done first, so that a failure
   *     between the two cannot leave a changed password with the old sessions still live)
   */
  public Future<Void> changePassword(User user, String currentPassword, String newPassword,
      Supplier<Future<?>> beforeStore) {
    String problem = policy.check(newPassword, user.username());
    return verify(user.passwordHash() == null ? dummyHash : user.passwordHash(), currentPassword == null ? "" : currentPassword)
        .compose(ok -> {
          if (!ok || user.passwordHash() == null) {
            return Future.failedFuture(new InvalidFieldException("current_password", "is not correct"));
          }
          if (problem != null) {
            return Future.failedFuture(new InvalidFieldException("new_password", problem));
          }
          return hash(newPassword).compose(phc -> beforeStore.get()
              .compose(ready -> users.setPasswordHash(user.id(), phc, clock.instant()))).mapEmpty();
        });
  }

  /** Sets a password without knowing the old one (administrators, the CLI). */
  public Future<Void> setPassword(User user, String newPassword) {
    String problem = policy.check(newPassword, user.username());
    if (problem != null) {
      return Future.failedFuture(new InvalidFieldException("password", problem));
    }
    return hash(newPassword).compose(phc -> users.setPasswordHash(user.id(), phc, clock.instant())).mapEmpty();
  }

  private Future<String> hash(String password) {
    return hashing.submit(() -> hasher.hash(PasswordPolicy.normalize(password)));
  }

  private Future<Boolean> verify(String phc, String password) {
    return hashing.submit(() -> hasher.verify(PasswordPolicy.normalize(password), phc));
  }
}
