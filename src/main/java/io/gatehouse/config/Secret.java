package io.gatehouse.config;

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
}
