package io.gatehouse.ratelimit;

import io.gatehouse.http.RateLimitHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * What a limit said about one request, and the {@code RateLimit-*} fields it puts on the response
 * (draft-ietf-httpapi-ratelimit-headers: {@code -Limit}, {@code -Remaining} after this request,
 * {@code -Reset} in seconds, and {@code -Policy}), with {@code Retry-After} on a refusal.
 *
 * @param admitted whether the request may go on
 * @param remaining requests left in the window after this one (0 when refused)
 * @param resetSeconds seconds until the oldest request counted stops counting (0 when none is)
 * @param retryAfterSeconds when refused, seconds until one more request would be admitted
 */
public record Decision(Limit limit, boolean admitted, int remaining, long resetSeconds, long retryAfterSeconds)
    implements RateLimitHeaders {

  static final AsciiString LIMIT = AsciiString.cached("RateLimit-Limit");
  static final AsciiString REMAINING = AsciiString.cached("RateLimit-Remaining");
  static final AsciiString RESET = AsciiString.cached("RateLimit-Reset");
  static final AsciiString POLICY = AsciiString.cached("RateLimit-Policy");

  /**
   * Whole seconds of {@code millis} for {@code Retry-After} and {@code RateLimit-Reset}: rounded
   * up, so a client that waits them never comes back too early; 0 for none.
   */
  public static long wholeSeconds(long millis) {
    return millis <= 0 ? 0 : (millis + 999) / 1000;
  }

  /** True when this decision tells the client more than {@code other}: a refusal, else fewer requests left. */
  public boolean tighterThan(Decision other) {
    if (admitted != other.admitted) {
      return !admitted;
    }
    return remaining < other.remaining;
  }

  @Override
  public void addTo(HttpHeaders headers) {
    headers.set(LIMIT, limit.requests());
    headers.set(REMAINING, remaining);
    headers.set(RESET, resetSeconds);
    headers.set(POLICY, limit.policy());
    if (!admitted) {
      headers.set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
    }
  }
}
