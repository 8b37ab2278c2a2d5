package io.gatehouse.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A caller's W3C {@code tracestate} (Trace Context Level 1 §3.3), passed on beside Gatehouse's
 * {@code traceparent} only when the caller's {@code traceparent} was valid. Gatehouse adds no entry
 * of its own; it forwards the caller's list, checked and bounded:
 *
 * <ul>
 *   <li>several header lines are one list, joined in order (RFC 9110 §5.3, as §3.3 asks);</li>
 *   <li>every member is {@code key=value} in the grammar of §3.3's "list-members" (a simple key,
 *       or {@code tenant@system}; a value of printable ASCII but {@code ,} and {@code =}), at most
 *       32 of them, no key twice; empty members are dropped. A list that breaks any of these is
 *       dropped whole, as the processing model (§4) allows, rather than repaired;</li>
 *   <li>longer than the {@value #MAX_LENGTH} characters §3.3's "tracestate Limits" asks to be
 *       propagated, it is cut by whole members: those over 128 characters first, then from the
 *       end;</li>
 *   <li>received longer than {@value #MAX_RECEIVED} characters, it is not read at all.</li>
 * </ul>
 *
 * Thread-safe (no state).
 */
final class TraceState {

  static final AsciiString NAME = AsciiString.cached("tracestate");
  static final int MAX_MEMBERS = 32;
  static final int MAX_LENGTH = 512;
  /** Members longer than this go first when the list must be cut ("tracestate Limits"). */
  static final int LONG_MEMBER = 128;
  /** 32 members of the longest key and value (about 16 KiB) is more than anyone sends: this bounds the work. */
  static final int MAX_RECEIVED = 8192;

  private TraceState() {
  }

  /** The caller's {@code tracestate} lines as one checked list, or null when none was sent or it is invalid. */
  static String of(HttpHeaders headers) {
    if (!headers.contains(NAME)) {
      return null;
    }
    return sanitize(headers.getAll(NAME));
  }

  /** {@code lines} joined, checked and bounded, or null when empty or invalid. */
  static String sanitize(List<String> lines) {
    int received = 0;
    for (String line : lines) {
      received += line.length() + 1;
    }
    if (received > MAX_RECEIVED + 1) {
      return null;
    }
    List<String> members = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (String line : lines) {
      for (String raw : line.split(",", -1)) {
        String member = trimOws(raw);
        if (member.isEmpty()) {
          continue;
        }
        int equals = member.indexOf('=');
        if (equals < 0 || !isKey(member, equals) || !isValue(member, equals + 1)
            || !keys.add(member.substring(0, equals)) || members.size() == MAX_MEMBERS) {
          return null;
        }
        members.add(member);
      }
    }
    return members.isEmpty() ? null : bounded(members);
  }

  /** The members joined with commas, cut to {@link #MAX_LENGTH} by whole members ("tracestate Limits"). */
  private static String bounded(List<String> members) {
    int length = joinedLength(members);
    for (int i = members.size() - 1; i >= 0 && length > MAX_LENGTH; i--) {
      if (members.get(i).length() > LONG_MEMBER) {
        members.remove(i);
        length = joinedLength(members);
      }
    }
    while (length > MAX_LENGTH) {
      members.remove(members.size() - 1);
      length = joinedLength(members);
    }
    return members.isEmpty() ? null : String.join(",", members);
  }

  private static int joinedLength(List<String> members) {
    int length = Math.max(0, members.size() - 1);
    for (String member : members) {
      length += member.length();
    }
    return length;
  }

  /** Without the spaces and tabs around a member (RFC 9110 OWS). */
  private static String trimOws(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isOws(text.charAt(start))) {
      start++;
    }
    while (end > start && isOws(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  /**
   * {@code key = simple-key / multi-tenant-key}: a simple key is a lower-case letter then up to 255
   * of {@code a-z 0-9 _ - * /}; a multi-tenant key is a tenant id (a letter or digit, then up to 240
   * more) {@code @} a system id (a letter, then up to 13 more).
   */
  private static boolean isKey(String member, int end) {
    int at = member.indexOf('@');
    if (at < 0 || at > end) {
      return end >= 1 && end <= 256 && isLcAlpha(member.charAt(0)) && keyChars(member, 1, end);
    }
    char first = member.charAt(0);
    return at >= 1 && at <= 241 && (isLcAlpha(first) || isDigit(first)) && keyChars(member, 1, at)
        && end - at - 1 >= 1 && end - at - 1 <= 14 && isLcAlpha(member.charAt(at + 1))
        && keyChars(member, at + 2, end);
  }

  private static boolean keyChars(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (!(isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '*' || c == '/')) {
        return false;
      }
    }
    return true;
  }

  /** {@code value = 0*255(chr) nblk-chr}: printable ASCII but {@code ,} and {@code =}, not ending in a space. */
  private static boolean isValue(String member, int from) {
    int length = member.length() - from;
    if (length < 1 || length > 256) {
      return false;
    }
    for (int i = from; i < member.length(); i++) {
      char c = member.charAt(i);
      if (c < 0x20 || c > 0x7e || c == ',' || c == '=') {
        return false;
      }
    }
    return member.charAt(member.length() - 1) != ' ';
  }

  private static boolean isLcAlpha(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
