package io.gatehouse.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * The headers every response carries, proxied, built-in or error: the request id, the time taken,
 * and the OWASP secure-header baseline. HSTS is sent only over HTTPS (RFC 6797 §7.2 forbids it on
 * plain HTTP). An upstream may choose a stricter {@code Referrer-Policy} or its own frame policy;
 * {@code Server} and {@code X-Powered-By} are always removed so nothing advertises versions.
 * Immutable and thread-safe.
 */
public final class SecurityHeaders {

  public static final AsciiString REQUEST_ID = AsciiString.cached("x-request-id");
  private static final AsciiString RESPONSE_TIME = AsciiString.cached("x-response-time");
  private static final AsciiString NOSNIFF_NAME = AsciiString.cached("x-content-type-options");
  private static final AsciiString NOSNIFF = AsciiString.cached("nosniff");
  private static final AsciiString REFERRER_POLICY = AsciiString.cached("referrer-policy");
  private static final AsciiString NO_REFERRER = AsciiString.cached("no-referrer");
  private static final AsciiString FRAME_OPTIONS = AsciiString.cached("x-frame-options");
  private static final AsciiString DENY = AsciiString.cached("DENY");
  private static final AsciiString HSTS = AsciiString.cached("strict-transport-security");
  private static final AsciiString SERVER = AsciiString.cached("server");
  private static final AsciiString POWERED_BY = AsciiString.cached("x-powered-by");

  private final AsciiString hstsValue;

  /** @param hstsMaxAgeSeconds max-age for HTTPS responses; 0 sends no HSTS header */
  public SecurityHeaders(long hstsMaxAgeSeconds) {
    this.hstsValue = hstsMaxAgeSeconds > 0 ? AsciiString.cached("max-age=" + hstsMaxAgeSeconds + "; includeSubDomains") : null;
  }

  public void apply(HttpHeaders headers, String requestId, boolean https, long startNanos) {
    headers.set(REQUEST_ID, requestId);
    headers.set(RESPONSE_TIME, responseTime(System.nanoTime() - startNanos));
    headers.set(NOSNIFF_NAME, NOSNIFF);
    if (!headers.contains(REFERRER_POLICY)) {
      headers.set(REFERRER_POLICY, NO_REFERRER);
    }
    if (!headers.contains(FRAME_OPTIONS)) {
      headers.set(FRAME_OPTIONS, DENY);
    }
    if (https && hstsValue != null) {
      headers.set(HSTS, hstsValue);
    }
    headers.remove(SERVER);
    headers.remove(POWERED_BY);
  }

  /** Milliseconds with three decimals, as {@code X-Response-Time: 1.234ms}: ASCII bytes, no string formatting. */
  static AsciiString responseTime(long nanos) {
    long micros = Math.max(0, nanos / 1000);
    String millis = Long.toString(micros / 1000);
    int n = millis.length();
    byte[] out = new byte[n + 6];
    for (int i = 0; i < n; i++) {
      out[i] = (byte) millis.charAt(i);
    }
    long fraction = micros % 1000;
    out[n] = '.';
    out[n + 1] = (byte) ('0' + fraction / 100);
    out[n + 2] = (byte) ('0' + fraction / 10 % 10);
    out[n + 3] = (byte) ('0' + fraction % 10);
    out[n + 4] = 'm';
    out[n + 5] = 's';
    return new AsciiString(out, false);
  }
}
