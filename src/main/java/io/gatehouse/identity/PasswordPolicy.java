package io.gatehouse.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Password rules after NIST SP 800-63B §5.1.1.2: 8 to 128 characters of any Unicode (counted
 * after NFKC), not the username, and not one of the 10,000 most common passwords. No composition
 * rules, no forced rotation.
 */
public final class PasswordPolicy {

  public static final int MIN_LENGTH = 8;
  public static final int MAX_LENGTH = 128;

  private final Set<String> common;

  public PasswordPolicy(Set<String> common) {
    this.common = Set.copyOf(common);
  }

  /** The policy with the shipped list ({@code identity/common-passwords.txt}). */
  public static PasswordPolicy withShippedList() {
    Set<String> words = new HashSet<>();
    try (InputStream in = PasswordPolicy.class.getResourceAsStream("/identity/common-passwords.txt")) {
      if (in == null) {
        throw new IllegalStateException("identity/common-passwords.txt is missing from the class path");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          words.add(line.strip().toLowerCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new PasswordPolicy(words);
  }

  /** The password as hashed (NFKC, so one password typed on two keyboards is one password). */
  public static String normalize(String password) {
    return Normalizer.normalize(password, Normalizer.Form.NFKC);
  }

  /** Null when {@code password} is acceptable for {@code username}; otherwise the reason, for the caller. */
  public String check(String password, String username) {
    if (password == null) {
      return "is required";
    }
    String normalized = normalize(password);
    int length = normalized.codePointCount(0, normalized.length());
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      return "must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long";
    }
    String lower = normalized.toLowerCase(Locale.ROOT);
    if (username != null && lower.equals(Username.key(username))) {
      return "must not be the username";
    }
    if (common.contains(lower)) {
      return "is too common; choose one that is not on lists of leaked passwords";
    }
    return null;
  }
}
