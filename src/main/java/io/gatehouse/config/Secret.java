package io.gatehouse.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret from config (a database password), which never prints: {@link #toString()} is
 * {@code ***}, so a config logged or put in a message cannot leak it. Read it with {@link #reveal()}
 * where it is used, and nowhere else.
 */
public final class Secret {

  private final String value;

  public Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "***";
  }

  /** Equal to a secret of the same value, compared in constant time (a reload tells a changed password). */
  @Override
  public boolean equals(Object other) {
    return other instanceof Secret secret && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
        secret.value.getBytes(StandardCharsets.UTF_8));
  }

  /** The same for every secret: a secret is never a key, and its hash would say something of it. */
  @Override
  public int hashCode() {
    return 0;
  }
}
