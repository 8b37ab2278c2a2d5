package io.gatehouse.http;

/**
 * The syntax a {@code Host} header must have to be used or echoed (RFC 9110 §7.2, RFC 3986 §3.2.2):
 * a host name of letters, digits, {@code - . _ ~} whose dot-separated labels are not empty (one
 * trailing dot, as in a fully qualified name, is allowed), an IPv4 address or a bracketed IPv6
 * address, and an optional port of 1-5 digits up to 65535. Lists, user info, percent-encoding and spaces
 * are refused: no real client sends them, and upstreams disagree on what they mean.
 */
public final class HostHeader {

  private HostHeader() {
  }

  public static boolean isValid(String host) {
    int length = host.length();
    if (length == 0 || length > 255) {
      return false;
    }
    int end;
    if (host.charAt(0) == '[') {
      end = host.indexOf(']');
      if (end < 3) {
        return false;
      }
      for (int i = 1; i < end; i++) {
        char c = host.charAt(i);
        if (!(isHexDigit(c) || c == ':' || c == '.')) {
          return false;
        }
      }
      end++;
    } else {
      end = 0;
      while (end < length && host.charAt(end) != ':') {
        char c = host.charAt(end);
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
            || c == '_' || c == '~')) {
          return false;
        }
        if (c == '.' && (end == 0 || host.charAt(end - 1) == '.')) {
          return false; // an empty label: "..", ".example.com", "a..b"
        }
        end++;
      }
      if (end == 0) {
        return false;
      }
    }
    if (end == length) {
      return true;
    }
    if (host.charAt(end) != ':' || length - end - 1 < 1 || length - end - 1 > 5) {
      return false;
    }
    int port = 0;
    for (int i = end + 1; i < length; i++) {
      char c = host.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      port = port * 10 + (c - '0');
    }
    return port <= 65535;
  }

  /** The host without its port, lower case, and without a trailing dot: what host filters compare. */
  public static String hostname(String authority) {
    String host;
    if (authority.charAt(0) == '[') {
      host = authority.substring(0, authority.indexOf(']') + 1);
    } else {
      int colon = authority.indexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    return host.toLowerCase(java.util.Locale.ROOT);
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
