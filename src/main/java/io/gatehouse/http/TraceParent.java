package io.gatehouse.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * A W3C {@code traceparent} a caller sent (Trace Context Level 1 §3.2): the trace it belongs to,
 * the caller's span, which becomes the parent of Gatehouse's, and whether the caller sampled it.
 *
 * <p>Parsed strictly, since the header is the caller's to forge: two lower-case hex digits of
 * version, {@code ff} refused (§3.2.2.1); version {@code 00} exactly 55 characters; a later
 * version at least 55, with a {@code -} after them if longer, read as version {@code 00} (§3.2.4,
 * "Versioning of traceparent"); lower-case hex ids, neither all zeros (§3.2.2.3, §3.2.2.4). A
 * repeated header is invalid too. An invalid one is never forwarded: the trace starts anew here,
 * and the caller's {@code tracestate} is dropped with it (§3.3: "If the vendor failed to parse
 * traceparent, it MUST NOT attempt to parse tracestate"). Of the flags only {@code sampled} is
 * defined, and only it is kept.
 *
 * @param traceId 32 lower-case hex digits, not all zeros
 * @param parentId the caller's span id: 16 lower-case hex digits, not all zeros
 * @param sampled the caller's {@code sampled} flag (§3.2.2.5.1)
 */
public record TraceParent(String traceId, String parentId, boolean sampled) {

  static final AsciiString NAME = AsciiString.cached("traceparent");
  /** {@code 00-<32 hex>-<16 hex>-<2 hex>}. */
  static final int LENGTH = 55;

  /** The caller's {@code traceparent}, or null when it sent none, sent several, or sent one that is invalid. */
  static TraceParent of(HttpHeaders headers) {
    String value = headers.get(NAME);
    if (value == null) {
      return null;
    }
    List<String> all = headers.getAll(NAME);
    return all.size() == 1 ? parse(value) : null;
  }

  /** {@code value} read as a {@code traceparent}, or null when it is not a valid one. */
  public static TraceParent parse(CharSequence value) {
    if (value == null || value.length() < LENGTH) {
      return null;
    }
    char v0 = value.charAt(0);
    char v1 = value.charAt(1);
    if (!isHex(v0) || !isHex(v1) || (v0 == 'f' && v1 == 'f')) {
      return null;
    }
    boolean version00 = v0 == '0' && v1 == '0';
    if (version00 ? value.length() != LENGTH : value.length() > LENGTH && value.charAt(LENGTH) != '-') {
      return null;
    }
    if (value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
      return null;
    }
    if (!isId(value, 3, 35) || !isId(value, 36, 52) || !isHex(value.charAt(53)) || !isHex(value.charAt(54))) {
      return null;
    }
    boolean sampled = (Character.digit(value.charAt(54), 16) & 1) == 1;
    return new TraceParent(value.subSequence(3, 35).toString(), value.subSequence(36, 52).toString(), sampled);
  }

  /** The header value for a span {@code spanId} of trace {@code traceId}: always version {@code 00}. */
  public static String format(String traceId, String spanId, boolean sampled) {
    return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
  }

  /** Lower-case hex from {@code from} to {@code to}, not all zeros. */
  private static boolean isId(CharSequence value, int from, int to) {
    boolean nonZero = false;
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      if (!isHex(c)) {
        return false;
      }
      nonZero |= c != '0';
    }
    return nonZero;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }
}
