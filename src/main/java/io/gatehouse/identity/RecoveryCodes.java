package io.gatehouse.identity;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recovery codes: {@value #COUNT} per enrolment, each 80 random bits written as four groups of four
 * base32 characters ({@code abcd-efgh-ijkl-mnop}), shown once and stored only as the SHA-256 of the
 * user's id and the code (so one table leak cannot be searched for every user's codes at once; 80
 * bits need no slow hash). Typed with or without dashes, in either case. Thread-safe.
 */
public final class RecoveryCodes {

  public static final int COUNT = 10;
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
  private static final int LENGTH = 16;

  private final SecureRandom random = new SecureRandom();

  /**
   * A new set of codes for one user.
   *
   * @param codes the codes to show once
   * @param hashes what is stored of them ({@link #hash}), in the same order
   */
  public record Issued(List<String> codes, List<String> hashes) {
    public Issued {
      codes = List.copyOf(codes);
      hashes = List.copyOf(hashes);
    }
  }

  /** {@value #COUNT} fresh codes for {@code userId}, and what is stored of them. */
  public Issued issue(String userId) {
    List<String> codes = generate();
    return new Issued(codes, codes.stream().map(code -> hash(userId, normalize(code))).toList());
  }

  /** {@value #COUNT} fresh codes, to show once. */
  public List<String> generate() {
    List<String> codes = new ArrayList<>(COUNT);
    for (int n = 0; n < COUNT; n++) {
      StringBuilder code = new StringBuilder(LENGTH + 3);
      for (int i = 0; i < LENGTH; i++) {
        if (i > 0 && i % 4 == 0) {
          code.append('-');
        }
        code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      codes.add(code.toString());
    }
    return codes;
  }

  /** The code as compared: lower case, dashes and spaces dropped; null when it cannot be one. */
  public static String normalize(String typed) {
    if (typed == null || typed.length() > 64) {
      return null;
    }
    String code = typed.replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
    if (code.length() != LENGTH || !code.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
      return null;
    }
    return code;
  }

  /** What is stored of {@code code} (normalised) for {@code userId}. */
  public static String hash(String userId, String code) {
    return SecretTokens.sha256(userId + ":" + code);
  }

  /** Whether {@code typed} is shaped like a recovery code rather than a TOTP code. */
  public static boolean looksLikeOne(String typed) {
    return normalize(typed) != null;
  }
}
