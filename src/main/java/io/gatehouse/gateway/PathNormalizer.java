package io.gatehouse.gateway;

/**
 * Normalises a request path once, before routing, so that the route that matches and the path
 * the upstream receives are the same thing (RFC 3986 §6.2.2): unreserved percent-escapes are
 * decoded, other escapes upper-cased, {@code .} and {@code ..} segments resolved (§5.2.4) and
 * repeated slashes merged.
 *
 * <p>Paths that different servers read differently are refused instead of guessed at: an encoded
 * slash, backslash, NUL or other control character; invalid percent-encoding; {@code ..} above
 * the root; a raw {@code ;} (Tomcat and Jetty cut path parameters, which would let
 * {@code /admin;x=1} slip past a route for {@code /admin}); and any character outside RFC 3986's
 * {@code pchar}. Thread-safe and allocation-free for paths that are already normal.
 */
public final class PathNormalizer {

  private PathNormalizer() {
  }

  /** Returns the normalised path, or null when the path must be refused with 400. */
  public static String normalize(String raw) {
    if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
      return null;
    }
    boolean clean = true;
    int len = raw.length();
    for (int i = 0; i < len; i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        clean = false;
      } else if (c == '/') {
        if (i + 1 < len && (raw.charAt(i + 1) == '/' || raw.charAt(i + 1) == '.')) {
          clean = false;
        }
      } else if (!isAllowedRaw(c)) {
        return null;
      }
    }
    return clean ? raw : slowNormalize(raw);
  }

  private static String slowNormalize(String raw) {
    StringBuilder decoded = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '%') {
        decoded.append(c);
        continue;
      }
      if (i + 2 >= raw.length()) {
        return null;
      }
      int hi = Character.digit(raw.charAt(i + 1), 16);
      int lo = Character.digit(raw.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      int value = hi * 16 + lo;
      i += 2;
      if (isUnreserved((char) value)) {
        decoded.append((char) value);
      } else if (value == '/' || value == '\\' || value < 0x20 || value == 0x7f) {
        return null;
      } else {
        decoded.append('%').append(Character.toUpperCase(Character.forDigit(hi, 16)))
            .append(Character.toUpperCase(Character.forDigit(lo, 16)));
      }
    }
    return resolveSegments(decoded);
  }

  /** Merges empty segments and resolves dot segments; a path ending in a dot segment keeps its trailing slash. */
  private static String resolveSegments(CharSequence path) {
    String[] parts = path.toString().substring(1).split("/", -1);
    String[] stack = new String[parts.length];
    int depth = 0;
    boolean trailingSlash = false;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      boolean last = i == parts.length - 1;
      switch (part) {
        case "", "." -> trailingSlash = last && depth > 0;
        case ".." -> {
          if (depth == 0) {
            return null;
          }
          depth--;
          trailingSlash = last && depth > 0;
        }
        default -> {
          stack[depth++] = part;
          trailingSlash = false;
        }
      }
    }
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < depth; i++) {
      out.append('/').append(stack[i]);
    }
    if (depth == 0 || trailingSlash) {
      out.append('/');
    }
    return out.toString();
  }

  static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  /** RFC 3986 pchar and "/", minus ";" and "%" (escapes are handled separately). */
  static boolean isAllowedRaw(char c) {
    if (isUnreserved(c)) {
      return true;
    }
    return switch (c) {
      case '/', '!', '$', '&', '\'', '(', ')', '*', '+', ',', '=', ':', '@' -> true;
      default -> false;
    };
  }
}
