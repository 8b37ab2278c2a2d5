package io.gatehouse.config.path;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A route path pattern: literal segments, {@code *} (one segment), {@code {name}} (one segment,
 * captured) and a final {@code /**} (the prefix itself and anything below it). Patterns are
 * matched against normalised paths split into segments; literal matching is case-sensitive.
 *
 * <p>{@link #compareSpecificity} orders patterns so that the most specific match wins: compared
 * segment by segment, a literal beats a wildcard, a one-segment wildcard beats {@code **}, and a
 * pattern that ends beats {@code **} at the same position ({@code /a} beats {@code /a/**}).
 */
public final class PathPattern {

  enum Kind { LITERAL, ONE, CAPTURE, REST }

  private final String text;
  private final Kind[] kinds;
  private final String[] values;
  private final List<String> captureNames;

  private PathPattern(String text, Kind[] kinds, String[] values, List<String> captureNames) {
    this.text = text;
    this.kinds = kinds;
    this.values = values;
    this.captureNames = captureNames;
  }

  /** Compiles a pattern, throwing IllegalArgumentException with what was expected. */
  public static PathPattern compile(String text) {
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("expected: a path starting with /");
    }
    if (text.length() > 1 && text.endsWith("/")) {
      throw new IllegalArgumentException("expected: no trailing slash; use /prefix/** for a prefix");
    }
    String[] parts = text.substring(1).split("/", -1);
    Kind[] kinds = new Kind[parts.length];
    String[] values = new String[parts.length];
    List<String> captures = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.equals("**")) {
        if (i != parts.length - 1) {
          throw new IllegalArgumentException("expected: ** only as the last segment");
        }
        kinds[i] = Kind.REST;
      } else if (part.equals("*")) {
        kinds[i] = Kind.ONE;
      } else if (part.startsWith("{") && part.endsWith("}")) {
        String name = part.substring(1, part.length() - 1);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,31}") || !seen.add(name)) {
          throw new IllegalArgumentException("expected: unique capture names such as {id}");
        }
        kinds[i] = Kind.CAPTURE;
        values[i] = name;
        captures.add(name);
      } else {
        if (!isLiteral(part, parts.length)) {
          throw new IllegalArgumentException("expected: segments of letters, digits and -._~!$&'()+,=:@, *, {name} or a final **");
        }
        kinds[i] = Kind.LITERAL;
        values[i] = part;
      }
    }
    return new PathPattern(text, kinds, values, List.copyOf(captures));
  }

  private static boolean isLiteral(String part, int segmentCount) {
    if (part.isEmpty()) {
      return segmentCount == 1;
    }
    if (part.equals(".") || part.equals("..")) {
      return false;
    }
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '/' || c == '*' || !PathNormalizer.isAllowedRaw(c)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a normalised path, as {@link PathSegments}, matches this pattern. Allocation-free. */
  public boolean matches(PathSegments segments) {
    boolean rest = kinds[kinds.length - 1] == Kind.REST;
    int fixed = rest ? kinds.length - 1 : kinds.length;
    int count = segments.count();
    if (rest ? count < fixed : count != fixed) {
      return false;
    }
    for (int i = 0; i < fixed; i++) {
      switch (kinds[i]) {
        case LITERAL -> {
          if (!segments.equals(i, values[i])) {
            return false;
          }
        }
        case ONE, CAPTURE -> {
          if (segments.isEmpty(i)) {
            return false;
          }
        }
        default -> throw new IllegalStateException("** is always last");
      }
    }
    return true;
  }

  /**
   * The values of a matching path's captures in {@link #captureNames()} order plus, last, the
   * remainder under {@code **} (with the trailing slash, if any; null without {@code **}).
   */
  public String[] captures(PathSegments segments) {
    String[] out = new String[captureNames.size() + 1];
    int capture = 0;
    boolean rest = kinds[kinds.length - 1] == Kind.REST;
    int fixed = rest ? kinds.length - 1 : kinds.length;
    for (int i = 0; i < fixed; i++) {
      if (kinds[i] == Kind.CAPTURE) {
        out[capture++] = segments.segment(i);
      }
    }
    if (rest) {
      out[captureNames.size()] = segments.remainder(fixed);
    }
    return out;
  }

  /** Whether {@code prefix} (such as {@code /api}) names this pattern's leading literal segments. */
  public boolean hasLiteralPrefix(String prefix) {
    if (prefix.equals("/")) {
      return true;
    }
    if (!prefix.startsWith("/") || prefix.endsWith("/")) {
      return false;
    }
    String[] parts = prefix.substring(1).split("/", -1);
    if (parts.length > kinds.length) {
      return false;
    }
    for (int i = 0; i < parts.length; i++) {
      if (kinds[i] != Kind.LITERAL || !values[i].equals(parts[i])) {
        return false;
      }
    }
    return true;
  }

  /** The leading literal segments ({@code /books} for {@code /books/{id}/**}), or {@code ""} when the first is a wildcard. */
  public String literalPrefix() {
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < kinds.length && kinds[i] == Kind.LITERAL; i++) {
      prefix.append('/').append(values[i]);
    }
    return prefix.toString();
  }

  /** The first segment when it is a literal (routes are indexed by it), or null when it is a wildcard. */
  public String firstLiteral() {
    return kinds[0] == Kind.LITERAL ? values[0] : null;
  }

  public List<String> captureNames() {
    return captureNames;
  }

  public boolean endsWithRest() {
    return kinds[kinds.length - 1] == Kind.REST;
  }

  /** Negative when this pattern is more specific than {@code other}. */
  public int compareSpecificity(PathPattern other) {
    int n = Math.max(kinds.length, other.kinds.length);
    for (int i = 0; i < n; i++) {
      int a = rank(i);
      int b = other.rank(i);
      if (a != b) {
        return Integer.compare(b, a);
      }
    }
    return 0;
  }

  private int rank(int i) {
    if (i >= kinds.length) {
      return 4;
    }
    return switch (kinds[i]) {
      case LITERAL -> 3;
      case ONE, CAPTURE -> 2;
      case REST -> 1;
    };
  }

  @Override
  public String toString() {
    return text;
  }
}
