package io.gatehouse.identity;

import com.ibm.icu.text.SpoofChecker;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Username rules: Unicode NFKC, then 3-64 characters of letters, digits, marks and {@code . _ - @},
 * starting with a letter or digit. Names compare case-insensitively through {@link #key}.
 */
public final class Username {

  private static final Pattern SAFE = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N}._@-]*");
  /** Thread-safe once built (ICU). */
  private static final SpoofChecker SPOOF = new SpoofChecker.Builder()
      .setChecks(SpoofChecker.RESTRICTION_LEVEL | SpoofChecker.INVISIBLE | SpoofChecker.MIXED_NUMBERS)
      .setRestrictionLevel(SpoofChecker.RestrictionLevel.HIGHLY_RESTRICTIVE)
      .build();

  private Username() {
  }

  /** The name as stored, or null when it breaks the rules (the caller reports which field). */
  public static String normalize(String raw) {
    if (raw == null || raw.length() > 256) {
      return null;
    }
    String name = Normalizer.normalize(raw, Normalizer.Form.NFKC);
    int length = name.codePointCount(0, name.length());
    if (length < 3 || length > 64 || !SAFE.matcher(name).matches()) {
      return null;
    }
    return name;
  }

  /**
   * Whether a normalised name could pass for another: one that mixes writing systems (Unicode TS #39
   * "highly restrictive": a single script, or Latin with Han and Japanese or Korean scripts), such
   * as {@code aаdmin} with a Cyrillic {@code а}, or hides invisible characters. ICU4J's
   * {@link SpoofChecker} decides, with Unicode's maintained confusables data.
   */
  public static boolean looksLikeAnother(String normalized) {
    return SPOOF.failsChecks(normalized);
  }

  /** The comparison key of a normalised name: two names with one key are one account. */
  public static String key(String normalized) {
    return Normalizer.normalize(normalized.toLowerCase(Locale.ROOT), Normalizer.Form.NFKC);
  }
}
