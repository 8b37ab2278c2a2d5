package io.gatehouse.http.server;

import io.gatehouse.config.TransportKind;
import io.vertx.core.transport.Transport;

/**
 * Picks the network transport from {@code server.transport}. {@code auto} takes io_uring where the
 * kernel and its seccomp profile allow it (Netty's probe sets up a ring and checks the operations
 * it needs when the class loads; a container profile that blocks {@code io_uring_setup} makes it
 * unavailable), else epoll (kqueue on macOS), else NIO. A transport named explicitly must load, or
 * the start fails with the platform's reason. The one chosen is logged at start and exported as
 * {@code gatehouse_transport_info}.
 */
public final class Transports {

  private Transports() {
  }

  public static Transport choose(TransportKind kind) {
    return switch (kind) {
      case AUTO -> loads(Transport.IO_URING) ? Transport.IO_URING : loads(Transport.EPOLL) ? Transport.EPOLL
          : loads(Transport.KQUEUE) ? Transport.KQUEUE : Transport.NIO;
      case EPOLL -> requireAvailable(Transport.EPOLL, "epoll");
      case IO_URING -> requireAvailable(Transport.IO_URING, "io_uring");
      case NIO -> Transport.NIO;
    };
  }

  /** Vert.x leaves a transport's constant null when its classes are absent (kqueue on Linux). */
  private static boolean loads(Transport transport) {
    return transport != null && transport.available();
  }

  /** {@code transport}, or a failure naming it and the platform's reason when it cannot load. */
  public static Transport requireAvailable(Transport transport, String name) {
    if (transport == null) {
      throw new IllegalStateException("server.transport: " + name + " is not available here (its classes are not "
          + "on the class path); use auto or nio");
    }
    if (!transport.available()) {
      Throwable cause = transport.unavailabilityCause();
      throw new IllegalStateException("server.transport: " + name + " is not available here ("
          + (cause == null ? "unknown reason" : cause.getMessage()) + "); use auto or nio");
    }
    return transport;
  }
}
