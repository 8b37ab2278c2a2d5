package io.gatehouse.cli;

import java.util.Map;

/**
 * JVM-wide Netty settings, applied by the entry point before any Netty class loads.
 *
 * <p>From Java 25 on, Netty stops using {@code sun.misc.Unsafe} by default
 * ({@code io.netty.noUnsafe=true}) because the JDK now warns about its memory-access methods
 * (JEP 471/498). Its buffers then take slower paths: measured on the proxied route, about 13%
 * more CPU per request (bench/README.md). Gatehouse turns Unsafe back on for Java 25 unless the
 * operator set {@code io.netty.noUnsafe} or {@code GATEHOUSE_NETTY_UNSAFE=off}; the JVM prints its
 * deprecation warning once at start. Where a later JDK denies the methods, Netty's probe fails
 * and it falls back by itself.
 */
final class NettyRuntime {

  private NettyRuntime() {
  }

  static void configure(int javaFeature, Map<String, String> environment) {
    if (javaFeature >= 25 && System.getProperty("io.netty.noUnsafe") == null
        && !"off".equalsIgnoreCase(environment.get("GATEHOUSE_NETTY_UNSAFE"))) {
      System.setProperty("io.netty.noUnsafe", "false");
    }
  }
}
