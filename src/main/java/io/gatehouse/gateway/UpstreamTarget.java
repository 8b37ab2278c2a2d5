package io.gatehouse.gateway;

import java.net.URI;
import java.util.Locale;

/**
 * One upstream URL: where to connect, whether over TLS, the {@code Host} to send and the base path
 * that prefixes every forwarded path. Equal targets share their connection pools.
 */
record UpstreamTarget(String host, int port, boolean tls, String hostHeader, String basePath) {

  static UpstreamTarget of(URI uri) {
    boolean tls = uri.getScheme().toLowerCase(Locale.ROOT).equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String host = uri.getHost();
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    String base = uri.getRawPath() == null || uri.getRawPath().equals("/") ? "" : uri.getRawPath();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    boolean defaultPort = port == (tls ? 443 : 80);
    return new UpstreamTarget(bare, port, tls, defaultPort ? host : host + ":" + port, base);
  }

  /** {@code host:port} (an IPv6 address in brackets): how metrics and health name the target. */
  String hostAndPort() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The pool key: the same server reached the same way. */
  String origin() {
    return (tls ? "https://" : "http://") + host + ":" + port;
  }
}
