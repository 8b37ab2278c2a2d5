package io.gatehouse.config;

import java.util.regex.Pattern;

/** The one syntax of role and scope names, shared by config, CLI and API: 1-64 of a-z 0-9 _ . : - */
public final class Roles {

  private static final Pattern NAME = Pattern.compile("[a-z0-9_.:-]{1,64}");

  private Roles() {
  }

  /** @throws IllegalArgumentException with the expectation, when {@code name} is not a valid role or scope */
  public static String parse(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("1-64 of a-z 0-9 _ . : -");
    }
    return name;
  }
}
