package io.gatehouse.guard;

import io.gatehouse.http.Exchange;
import io.netty.handler.codec.http.HttpHeaderNames;

/** Where credentials travel in a request: the {@code Authorization} schemes and Gatehouse's own header. */
public final class Credentials {

  public static final String API_KEY_HEADER = "X-Api-Key";

  private Credentials() {
  }

  /** The token of {@code Authorization: <scheme> <token>} (scheme case-insensitive), or null. */
  public static String authorization(Exchange exchange, String scheme) {
    String header = exchange.header(HttpHeaderNames.AUTHORIZATION);
    int length = scheme.length();
    if (header == null || header.length() <= length + 1 || !header.regionMatches(true, 0, scheme, 0, length)
        || header.charAt(length) != ' ') {
      return null;
    }
    String token = header.substring(length + 1).strip();
    return token.isEmpty() ? null : token;
  }
}
