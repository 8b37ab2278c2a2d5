package io.gatehouse.identity;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Username rules: Unicode NFKC, then 3-64 characters of letters, digits, marks and {@code . _ - @},
 * starting with a letter or digit. Names compare case-insensitively through {@link #key}.
 */
public final class Username {

  private static final Pattern SAFE = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N}._@-]*");

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

  /** The comparison key of a normalised name: two names with one key are one account. */
  public static String key(String normalized) {
    return Normalizer.normalize(normalized.toLowerCase(Locale.ROOT), Normalizer.Form.NFKC);
  }
}
