package io.gatehouse.http;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code for} parameters of an RFC 7239 {@code Forwarded} field value. Only as much of
 * the grammar as finding them needs: elements split at commas and pairs at semicolons outside
 * quoted strings, parameter names case-insensitive, values tokens or quoted strings.
 */
final class ForwardedHeader {

  private ForwardedHeader() {
  }

  /**
   * The {@code for} node of each element, in order, joined by commas as in {@code X-Forwarded-For}:
   * an IPv4 address without its port, an IPv6 address without its brackets and port, or the node
   * as written when it is neither ({@code unknown}, an obfuscated {@code _name}), which callers
   * treat as not an address. An element without {@code for} yields {@code unknown}.
   */
  static String forNodes(String value) {
    List<String> nodes = new ArrayList<>();
    for (String element : split(value, ',')) {
      String node = "unknown";
      for (String pair : split(element, ';')) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("for")) {
          node = address(unquote(pair.substring(eq + 1).trim()));
        }
      }
      nodes.add(node);
    }
    return String.join(",", nodes);
  }

  /** RFC 7239 §6: {@code "[2001:db8::1]:4711"}, {@code 192.0.2.43:47011}, {@code unknown}, {@code _hidden}. */
  private static String address(String node) {
    if (node.startsWith("[")) {
      int close = node.indexOf(']');
      return close > 0 ? node.substring(1, close) : "unknown";
    }
    int colon = node.indexOf(':');
    return colon >= 0 && node.indexOf(':', colon + 1) < 0 ? node.substring(0, colon) : node;
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
      return value.substring(1, value.length() - 1); // an escape is never part of an address, so it stays and fails to parse
    }
    return value;
  }

  /** Splits at {@code separator} outside quoted strings (a backslash escapes inside them). */
  private static List<String> split(String value, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quoted && c == '\\' && i + 1 < value.length()) {
        part.append(c).append(value.charAt(++i));
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      } else if (c == separator && !quoted) {
        parts.add(part.toString().trim());
        part.setLength(0);
        continue;
      }
      part.append(c);
    }
    parts.add(part.toString().trim());
    return parts;
  }
}
