package io.gatehouse.identity.passkey;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where passkeys live, keyed by credential id. Writes are durable when their future completes. */
public interface PasskeyStore {

  /** What {@link #insert} did. */
  enum Insert {
    ADDED,
    /** The credential id is registered already, to this user or another (WebAuthn Level 3 §7.1 step 26). */
    DUPLICATE,
    /** The user has {@code maxPerUser} passkeys already. */
    FULL
  }

  /** Adds {@code passkey} unless its id is taken or its user has {@code maxPerUser}, in one step. */
  Future<Insert> insert(Passkey passkey, int maxPerUser);

  Future<Optional<Passkey>> byCredentialId(String credentialId);

  /** A user's passkeys, oldest first. */
  Future<List<Passkey>> forUser(String userId);

  /** @return false when {@code userId} has no passkey {@code credentialId} */
  Future<Boolean> rename(String userId, String credentialId, String name);

  /** @return false when {@code userId} has no passkey {@code credentialId} */
  Future<Boolean> delete(String userId, String credentialId);

  /**
   * Records a sign-in: the new signature counter and backup state, and the time, only while the
   * stored counter is still {@code expectedCount} (compare-and-set), so of two assertions verified
   * against the same record at once only one is recorded.
   *
   * @return false when the passkey is gone or its counter moved meanwhile
   */
  Future<Boolean> recordUse(String credentialId, long expectedCount, long newCount, boolean backupState, Instant at);
}
