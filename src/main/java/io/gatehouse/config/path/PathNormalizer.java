package io.gatehouse.config.path;

/**
 * Normalises a request path once, before routing, so that the route that matches and the path
 * the upstream receives are the same thing (RFC 3986 §6.2.2): percent-escapes of letters, digits
 * and {@code - _ ~} are decoded, other escapes upper-cased, {@code .} and {@code ..} segments
 * resolved (§5.2.4) and repeated slashes merged.
 *
 * <p>Paths that different servers read differently are refused instead of guessed at (null, which
 * the gateway answers with 400): an escape that decodes to {@code .}, {@code /}, {@code \} or
 * {@code ;} (servers disagree on whether {@code %2e%2e} is a dot segment); a control character;
 * invalid percent-encoding; escaped bytes that are not strict UTF-8 (overlong forms such as
 * {@code %C0%AE}, surrogates, truncated sequences); escaped characters whose Unicode
 * compatibility form is ASCII, such as the full-width full stop {@code %EF%BC%8E} or full-width
 * letters, which a normalising upstream would turn into {@code .} or another route's name;
 * {@code ..} above the root; a raw {@code ;} (Tomcat and Jetty cut path parameters, which would
 * let {@code /admin;x=1} slip past a route for {@code /admin}); and any character outside
 * RFC 3986's {@code pchar}. Thread-safe and allocation-free for paths that are already normal.
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
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c != '%') {
        decoded.append(c);
        i++;
        continue;
      }
      int value = escapedByte(raw, i);
      if (value < 0) {
        return null;
      }
      if (value >= 0x80) {
        int end = appendUtf8(raw, i, decoded);
        if (end < 0) {
          return null;
        }
        i = end;
        continue;
      }
      char ascii = (char) value;
      if (ascii == '.' || ascii == '/' || ascii == '\\' || ascii == ';' || ascii < 0x20 || ascii == 0x7f) {
        return null;
      }
      if (isUnreserved(ascii)) {
        decoded.append(ascii);
      } else {
        appendEscape(decoded, value);
      }
      i += 3;
    }
    return resolveSegments(decoded);
  }

  /** The byte an escape at {@code at} encodes, or -1 when it is not {@code %} and two hex digits. */
  private static int escapedByte(String raw, int at) {
    if (at + 2 >= raw.length() || raw.charAt(at) != '%') {
      return -1;
    }
    int hi = Character.digit(raw.charAt(at + 1), 16);
    int lo = Character.digit(raw.charAt(at + 2), 16);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
  }

  /**
   * Decodes the run of escaped non-ASCII bytes starting at {@code at} as strict UTF-8 and, when
   * every character in it is acceptable, appends the run's escapes (upper-cased) to {@code out}.
   *
   * @return the index after the run, or -1 when the path must be refused
   */
  private static int appendUtf8(String raw, int at, StringBuilder out) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    int i = at;
    int value;
    while ((value = escapedByte(raw, i)) >= 0x80) {
      bytes.write(value);
      i += 3;
    }
    if (value < 0 && i < raw.length() && raw.charAt(i) == '%') {
      return -1;
    }
    String text;
    try {
      text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return -1;
    }
    for (int k = 0; k < text.length(); ) {
      int codePoint = text.codePointAt(k);
      if (Character.isISOControl(codePoint) || hasAsciiCompatibilityForm(codePoint)) {
        return -1;
      }
      k += Character.charCount(codePoint);
    }
    for (byte b : bytes.toByteArray()) {
      appendEscape(out, b & 0xff);
    }
    return i;
  }

  /** Whether Unicode's compatibility normalisation (NFKC) turns {@code codePoint} into anything containing ASCII. */
  static boolean hasAsciiCompatibilityForm(int codePoint) {
    String folded = java.text.Normalizer.normalize(new String(Character.toChars(codePoint)), java.text.Normalizer.Form.NFKC);
    for (int i = 0; i < folded.length(); i++) {
      if (folded.charAt(i) < 0x80) {
        return true;
      }
    }
    return false;
  }

  private static void appendEscape(StringBuilder out, int value) {
    out.append('%').append(Character.toUpperCase(Character.forDigit(value >> 4, 16)))
        .append(Character.toUpperCase(Character.forDigit(value & 0xf, 16)));
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
  public static boolean isAllowedRaw(char c) {
    if (isUnreserved(c)) {
      return true;
    }
    return switch (c) {
      case '/', '!', '$', '&', '\'', '(', ')', '*', '+', ',', '=', ':', '@' -> true;
      default -> false;
    };
  }
}
