package io.gatehouse.http;

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
      case AUTO -> Transport.EPOLL.available() ? Transport.EPOLL
          : Transport.KQUEUE.available() ? Transport.KQUEUE : Transport.NIO;
      case EPOLL -> require(Transport.EPOLL, "epoll");
      case IO_URING -> require(Transport.IO_URING, "io_uring");
      case NIO -> Transport.NIO;
    };
  }

  private static Transport require(Transport transport, String name) {
    if (!transport.available()) {
      Throwable cause = transport.unavailabilityCause();
      throw new IllegalStateException("server.transport: " + name + " is not available here ("
          + (cause == null ? "unknown reason" : cause.getMessage()) + "); use auto or nio");
    }
    return transport;
  }
}
