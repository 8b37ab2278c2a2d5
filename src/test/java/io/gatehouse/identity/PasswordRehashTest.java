package io.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.store.SqlStorage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hash upgrade at login (PBKDF2 import, or Argon2 below today's cost, to today's Argon2id) is
 * a compare-and-set on the hash that was verified, so it can never undo a password change that
 * landed between the check and the upgrade. Real SQLite store.
 */
class PasswordRehashTest {

  private static final String OLD = "correct horse battery";
  private static final String NEW = "a better pass phrase";

  private Vertx vertx;
  private SqlStorage store;
  private final PasswordHasher hasher = new PasswordHasher(PasswordHasher.Argon2Cost.OWASP);

  @BeforeEach
  void open(@TempDir Path dir) {
    vertx = Vertx.vertx();
    store = SqlStorage.embedded(vertx, dir);
  }

  @AfterEach
  void close() {
    store.close();
    vertx.close().await();
  }

  private Accounts accounts(UserStore users) {
    return new Accounts(users, hasher, PasswordPolicy.withShippedList(),
        new HashingPool(vertx.createSharedWorkerExecutor("test-hash", 2), 8), Clock.systemUTC());
  }

  private User imported() {
    String pbkdf2 = PasswordHasher.pbkdf2Phc(OLD, "0123456789abcdef".getBytes(StandardCharsets.US_ASCII),
        PasswordHasher.MIN_PBKDF2_ITERATIONS);
    return accounts(store.users()).create("quinn", null, pbkdf2, null, List.of("user")).await();
  }

  private String storedHash(User user) {
    return store.users().byId(user.id()).await().orElseThrow().passwordHash();
  }

  @Test
  void theUpgradeReplacesAnOutdatedHashWhenNothingChangedMeanwhile() {
    User user = imported();
    assertThat(accounts(store.users()).authenticate("quinn", OLD).await().admitted()).isNotNull();
    assertThat(storedHash(user)).startsWith("$argon2id$");
    assertThat(hasher.verify(OLD, storedHash(user))).isTrue();
  }

  @Test
  void theUpgradeNeverUndoesAPasswordChangeMadeMeanwhile() {
    User user = imported();
    // The password changes (another request, the CLI) after the login's check, before its upgrade is written.
    UserStore racing = new ForwardingUserStore(store.users()) {
      @Override
      public Future<Boolean> replacePasswordHash(String userId, String expectedHash, String passwordHash, Instant at) {
        return store.users().setPasswordHash(userId, hasher.hash(NEW), at)
            .compose(changed -> super.replacePasswordHash(userId, expectedHash, passwordHash, at));
      }
    };
    assertThat(accounts(racing).authenticate("quinn", OLD).await().admitted()).as("the login itself succeeded").isNotNull();
    assertThat(hasher.verify(NEW, storedHash(user))).as("the change stands").isTrue();
    assertThat(hasher.verify(OLD, storedHash(user))).isFalse();
  }

  @Test
  void compareAndSetRefusesAStaleExpectation() {
    User user = imported();
    String current = storedHash(user);
    assertThat(store.users().replacePasswordHash(user.id(), "$argon2id$stale", hasher.hash(NEW), Instant.now()).await()).isFalse();
    assertThat(storedHash(user)).isEqualTo(current);
    assertThat(store.users().replacePasswordHash(user.id(), current, hasher.hash(NEW), Instant.now()).await()).isTrue();
    assertThat(hasher.verify(NEW, storedHash(user))).isTrue();
  }

  /** Passes every call through; tests override the one they interleave with. */
  private static class ForwardingUserStore implements UserStore {
    private final UserStore delegate;

    ForwardingUserStore(UserStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Future<User> insert(User user) {
      return delegate.insert(user);
    }

    @Override
    public Future<Optional<User>> byUsernameKey(String usernameKey) {
      return delegate.byUsernameKey(usernameKey);
    }

    @Override
    public Future<Optional<User>> byId(String id) {
      return delegate.byId(id);
    }

    @Override
    public Future<Long> count() {
      return delegate.count();
    }

    @Override
    public Future<List<User>> list() {
      return delegate.list();
    }

    @Override
    public Future<Boolean> setPasswordHash(String userId, String passwordHash, Instant at) {
      return delegate.setPasswordHash(userId, passwordHash, at);
    }

    @Override
    public Future<Boolean> replacePasswordHash(String userId, String expectedHash, String passwordHash, Instant at) {
      return delegate.replacePasswordHash(userId, expectedHash, passwordHash, at);
    }

    @Override
    public Future<Boolean> setDisabled(String userId, boolean disabled, Instant at) {
      return delegate.setDisabled(userId, disabled, at);
    }

    @Override
    public Future<Boolean> setRoles(String userId, List<String> roles, Instant at) {
      return delegate.setRoles(userId, roles, at);
    }

    @Override
    public Future<Boolean> delete(String userId) {
      return delegate.delete(userId);
    }
  }
}
