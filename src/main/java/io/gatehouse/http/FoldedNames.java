package io.gatehouse.http;

/**
 * Header names as upstream frameworks read them. Many fold case and also turn {@code _} and
 * {@code .} into {@code -} (CGI and WSGI environments, PHP, some Java containers), so
 * {@code X_Gatehouse_Subject} and {@code x.gatehouse.subject} reach them as
 * {@code X-Gatehouse-Subject}. Every check of a name that matters for security compares folded.
 */
public final class FoldedNames {

  private FoldedNames() {
  }

  /** Whether {@code name}, folded, equals {@code lowerDashed} (a lower-case name with {@code -}). */
  public static boolean equals(CharSequence name, String lowerDashed) {
    int length = lowerDashed.length();
    return name.length() == length && regionMatches(name, lowerDashed, length);
  }

  /** Whether {@code name}, folded, starts with {@code lowerDashedPrefix}. */
  public static boolean startsWith(CharSequence name, String lowerDashedPrefix) {
    int length = lowerDashedPrefix.length();
    return name.length() >= length && regionMatches(name, lowerDashedPrefix, length);
  }

  /** Whether {@code name} differs from its folded form in more than letter case (it uses {@code _} or {@code .}). */
  public static boolean hasFoldedSeparator(CharSequence name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_' || c == '.') {
        return true;
      }
    }
    return false;
  }

  private static boolean regionMatches(CharSequence name, String expected, int length) {
    for (int i = 0; i < length; i++) {
      if (fold(name.charAt(i)) != expected.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static char fold(char c) {
    if (c >= 'A' && c <= 'Z') {
      return (char) (c + ('a' - 'A'));
    }
    return c == '_' || c == '.' ? '-' : c;
  }
}
