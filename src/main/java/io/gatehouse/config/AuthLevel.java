package io.gatehouse.config;

import java.util.List;

/**
 * How strongly a user proved who they are: the authentication context classes ({@code acr}, OpenID
 * Connect Core §2) Gatehouse issues and a route can demand ({@code routes[].auth_level}, RFC 9470).
 * Ordered: a higher level satisfies every lower one.
 *
 * <ul>
 *   <li>{@code pwd}: one factor, a password;</li>
 *   <li>{@code mfa}: two factors (a password and a one-time code, RFC 8176 {@code ["pwd","otp"]}),
 *       or a phishing-resistant key that counts as two by itself (a passkey, {@code ["hwk","user"]}).</li>
 * </ul>
 */
public enum AuthLevel {
  PWD("pwd"),
  MFA("mfa");

  /** RFC 8176 §2 values Gatehouse records. */
  public static final String PASSWORD = "pwd";
  public static final String ONE_TIME_PASSWORD = "otp";
  public static final String HARDWARE_KEY = "hwk";
  public static final String USER_PRESENCE = "user";

  private final String acr;

  AuthLevel(String acr) {
    this.acr = acr;
  }

  /** The {@code acr} value of this level. */
  public String acr() {
    return acr;
  }

  /**
   * The level an {@code amr} list proves: {@link #MFA} for a hardware-bound key ({@code hwk}) or
   * for a password with a one-time code, {@link #PWD} for any other sign-in; null for none.
   */
  public static AuthLevel of(List<String> amr) {
    if (amr == null || amr.isEmpty()) {
      return null;
    }
    if (amr.contains(HARDWARE_KEY) || amr.contains(PASSWORD) && amr.contains(ONE_TIME_PASSWORD)) {
      return MFA;
    }
    return PWD;
  }

  /** The level an {@code acr} value names, or null for one Gatehouse does not issue. */
  public static AuthLevel ofAcr(String acr) {
    for (AuthLevel level : values()) {
      if (level.acr.equals(acr)) {
        return level;
      }
    }
    return null;
  }

  /** Whether a credential whose {@code acr} is {@code presented} (null: none) meets this level. */
  public boolean satisfiedBy(String presented) {
    AuthLevel level = ofAcr(presented);
    return level != null && level.compareTo(this) >= 0;
  }

  /** @throws IllegalArgumentException naming the levels */
  public static AuthLevel parse(String text) {
    AuthLevel level = ofAcr(text);
    if (level == null) {
      throw new IllegalArgumentException("one of pwd, mfa");
    }
    return level;
  }

  @Override
  public String toString() {
    return acr;
  }
}
