package io.gatehouse.identity.passkey;

import io.gatehouse.identity.InvalidFieldException;
import io.vertx.core.Future;
import java.text.Normalizer;
import java.util.List;

/** A user's own passkeys: listing, renaming and removing them. Thread-safe. */
public final class Passkeys {

  static final int MAX_NAME_LENGTH = 64;

  private final PasskeyStore store;

  public Passkeys(PasskeyStore store) {
    this.store = store;
  }

  /** The user's passkeys, oldest first. */
  public Future<List<Passkey>> list(String userId) {
    return store.forUser(userId);
  }

  /**
   * @return false when the user has no such passkey
   * @throws InvalidFieldException (as the failed future) for a name {@link #checkName} refuses
   */
  public Future<Boolean> rename(String userId, String credentialId, String name) {
    try {
      return store.rename(userId, credentialId, checkName(name));
    } catch (InvalidFieldException e) {
      return Future.failedFuture(e);
    }
  }

  /** Removes it at once: it signs no one in from now on. @return false when the user has no such passkey */
  public Future<Boolean> remove(String userId, String credentialId) {
    return store.delete(userId, credentialId);
  }

  /**
   * A passkey's name as stored: NFC, trimmed, 1 to {@value #MAX_NAME_LENGTH} characters, no control
   * or format characters (nothing that can hide or reorder text in a list). Absent gives {@code Passkey}.
   *
   * @throws InvalidFieldException naming {@code name} otherwise
   */
  public static String checkName(String name) {
    if (name == null) {
      return "Passkey";
    }
    String normalized = Normalizer.normalize(name, Normalizer.Form.NFC).strip();
    if (normalized.isEmpty() || normalized.codePointCount(0, normalized.length()) > MAX_NAME_LENGTH) {
      throw new InvalidFieldException("name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
    boolean clean = normalized.codePoints().allMatch(c -> {
      int type = Character.getType(c);
      return type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED
          && type != Character.PRIVATE_USE && type != Character.SURROGATE && type != Character.LINE_SEPARATOR
          && type != Character.PARAGRAPH_SEPARATOR;
    });
    if (!clean) {
      throw new InvalidFieldException("name", "must not contain control or invisible formatting characters");
    }
    return normalized;
  }
}
