package io.gatehouse.config;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Set;

/**
 * The request methods Gatehouse serves: RFC 9110's GET, HEAD, POST, PUT, DELETE and OPTIONS, and
 * PATCH (RFC 5789). Methods are case-sensitive (RFC 9110 §9.1), so {@code get} is not GET: an
 * unknown method is refused with 501 instead of being passed to an upstream that might fold its
 * case; TRACE and TRACK (which echo credentials back) and CONNECT (a tunnel) get 405.
 */
public final class Methods {

  /** Upper-case names of the methods routes may list and Gatehouse forwards. */
  public static final Set<String> SERVED = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");

  private Methods() {
  }

  /** Whether {@code method} is one of {@link #SERVED}, compared case-sensitively. */
  public static boolean isServed(HttpMethod method) {
    // Netty returns its constants for exact upper-case names only, so identity is the case-sensitive test.
    return method == HttpMethod.GET || method == HttpMethod.POST || method == HttpMethod.HEAD
        || method == HttpMethod.PUT || method == HttpMethod.DELETE || method == HttpMethod.OPTIONS
        || method == HttpMethod.PATCH;
  }

  /** Methods that are known but never served: they get 405 rather than 501. */
  public static boolean isRefused(HttpMethod method) {
    String name = method.name();
    return name.equals("TRACE") || name.equals("TRACK") || name.equals("CONNECT");
  }

  /** GET, HEAD and OPTIONS change nothing (RFC 9110 §9.2.1), so they need no CSRF protection. */
  public static boolean isSafe(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
  }
}
