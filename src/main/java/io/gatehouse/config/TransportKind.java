package io.gatehouse.config;

/**
 * The network transport of the listeners and upstream connections, {@code server.transport}:
 * {@code auto} (io_uring where the kernel and its seccomp profile allow it, else epoll where the
 * platform has it, else NIO), {@code epoll}, {@code io_uring} or {@code nio}. A named transport that cannot load
 * stops the start with its reason rather than silently running on another.
 */
public enum TransportKind {
  AUTO, EPOLL, IO_URING, NIO;

  static TransportKind parse(String text) {
    return switch (text) {
      case "auto" -> AUTO;
      case "epoll" -> EPOLL;
      case "io_uring" -> IO_URING;
      case "nio" -> NIO;
      default -> throw new IllegalArgumentException("one of auto, epoll, io_uring, nio");
    };
  }
}
