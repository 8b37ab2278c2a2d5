package io.gatehouse.config;

import java.util.Locale;
import java.util.Set;

/**
 * Identity policy, {@code identity}.
 *
 * @param mfaRequired {@code mfa: required}: every user signs in with a second factor, and one who
 *     has none enrols at their next sign-in before any session starts; {@code optional} (the
 *     default): users who enrolled one are asked for it
 * @param totpIssuer the issuer label authenticator apps show beside the account
 *     ({@code totp_issuer}, default {@code Gatehouse})
 */
public record IdentityConfig(boolean mfaRequired, String totpIssuer) {

  static IdentityConfig read(Section root) {
    Section s = root.section("identity", Set.of("mfa", "totp_issuer"));
    String mfa = s.string("mfa", "optional").toLowerCase(Locale.ROOT);
    boolean required = mfa.equals("required");
    if (!required && !mfa.equals("optional")) {
      s.problem("mfa", "'" + mfa + "' (expected: optional or required)");
      required = true; // closed
    }
    String issuer = s.string("totp_issuer", "Gatehouse");
    if (issuer.isBlank() || issuer.length() > 64 || issuer.contains(":") || !issuer.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
      s.problem("totp_issuer", "'" + issuer + "' (expected: 1-64 printable characters without ':')");
      issuer = "Gatehouse";
    }
    return new IdentityConfig(required, issuer);
  }
}
