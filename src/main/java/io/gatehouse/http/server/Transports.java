package io.gatehouse.http.server;

import io.gatehouse.config.TransportKind;
import io.vertx.core.transport.Transport;

/**
 * Picks the network transport from {@code server.transport}. {@code auto} takes epoll where the
 * platform has it (kqueue on macOS), else NIO, and never io_uring: container seccomp profiles
 * often block it, so it is opt-in. A transport named explicitly must load, or the start fails with
 * the platform's reason.
 */
public final class Transports {

  private Transports() {
  }

  public static Transport choose(TransportKind kind) {
    return switch (kind) {
      case AUTO -> loads(Transport.EPOLL) ? Transport.EPOLL : loads(Transport.KQUEUE) ? Transport.KQUEUE : Transport.NIO;
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
