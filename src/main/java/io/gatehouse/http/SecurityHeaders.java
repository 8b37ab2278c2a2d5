package io.gatehouse.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * The headers every response carries, proxied, built-in or error: the request id, the time taken,
 * and the OWASP secure-header baseline. HSTS is sent only over HTTPS (RFC 6797 §7.2 forbids it on
 * plain HTTP). An upstream may choose a stricter {@code Referrer-Policy} or its own frame policy;
 * {@code Server} and {@code X-Powered-By} are always removed so nothing advertises versions.
 */
public final class SecurityHeaders {

  private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized(RequestIdHandler.HEADER);
  private static final CharSequence RESPONSE_TIME = HttpHeaders.createOptimized("X-Response-Time");
  private static final CharSequence NOSNIFF_NAME = HttpHeaders.createOptimized("X-Content-Type-Options");
  private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
  private static final CharSequence REFERRER_POLICY = HttpHeaders.createOptimized("Referrer-Policy");
  private static final CharSequence NO_REFERRER = HttpHeaders.createOptimized("no-referrer");
  private static final CharSequence FRAME_OPTIONS = HttpHeaders.createOptimized("X-Frame-Options");
  private static final CharSequence DENY = HttpHeaders.createOptimized("DENY");
  private static final CharSequence HSTS = HttpHeaders.createOptimized("Strict-Transport-Security");
  private static final CharSequence SERVER = HttpHeaders.createOptimized("Server");
  private static final CharSequence POWERED_BY = HttpHeaders.createOptimized("X-Powered-By");

  private final CharSequence hstsValue;

  /** @param hstsMaxAgeSeconds max-age for HTTPS responses; 0 sends no HSTS header */
  public SecurityHeaders(long hstsMaxAgeSeconds) {
    this.hstsValue = hstsMaxAgeSeconds > 0
        ? HttpHeaders.createOptimized("max-age=" + hstsMaxAgeSeconds + "; includeSubDomains")
        : null;
  }

  public void apply(MultiMap headers, String requestId, boolean https, long startNanos) {
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

  /** Milliseconds with three decimals, as {@code X-Response-Time: 1.234ms}. */
  static String responseTime(long nanos) {
    long micros = Math.max(0, nanos / 1000);
    long millis = micros / 1000;
    long fraction = micros % 1000;
    return millis + "." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + fraction + "ms";
  }
}
