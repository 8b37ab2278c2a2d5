package io.gatehouse.http;

import java.net.URI;
import java.util.Locale;

/**
 * Whether a request's {@code Origin} is this gateway's own: the origin the request was sent to
 * (scheme of the listener plus the validated {@code Host}) or the configured issuer's. Used by
 * CORS (a same-origin request is not a CORS request) and by the CSRF check. Thread-safe.
 */
public final class Origins {

  private final String issuerOrigin;

  /** The listener's own origin and {@code issuer}'s: the public listeners. */
  public Origins(URI issuer) {
    this(origin(issuer.getScheme(), issuer.getRawAuthority()));
  }

  private Origins(String issuerOrigin) {
    this.issuerOrigin = issuerOrigin;
  }

  /** The listener's own origin only: the management listener, which the issuer's pages are not part of. */
  public static Origins listenerOnly() {
    return new Origins((String) null);
  }

  /** True when {@code origin} (as a browser sends it) names this gateway. {@code null} and "null" never do. */
  public boolean isSameOrigin(Exchange exchange, String origin) {
    if (origin == null || origin.equals("null")) {
      return false;
    }
    String normalized = origin.toLowerCase(Locale.ROOT);
    if (issuerOrigin != null && normalized.equals(issuerOrigin)) {
      return true;
    }
    String host = exchange.host();
    return host != null && normalized.equals(origin(exchange.https() ? "https" : "http", host));
  }

  /** {@code scheme://authority} in lower case, without the scheme's default port (browsers never write it). */
  static String origin(String scheme, String authority) {
    String s = scheme.toLowerCase(Locale.ROOT);
    String lower = authority.toLowerCase(Locale.ROOT);
    if ((s.equals("https") && lower.endsWith(":443")) || (s.equals("http") && lower.endsWith(":80"))) {
      lower = lower.substring(0, lower.lastIndexOf(':'));
    }
    return s + "://" + lower;
  }
}
