package io.gatehouse.cli;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT for {@code serve}: the first starts a graceful shutdown, a second one cuts it
 * short. The JVM's own handling runs the shutdown hooks instead, where neither is possible: the
 * process then exits with 143 (128 + SIGTERM) however cleanly it stopped, and a second signal
 * waits behind the first. {@code sun.misc.Signal} (module jdk.unsupported) is the JDK's only way
 * to take the signals over; where it is missing, the caller keeps to its shutdown hook.
 */
final class ShutdownSignals {

  private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignals.class);

  private ShutdownSignals() {
  }

  /**
   * Handles TERM and INT from now on.
   *
   * @param first run on the first of them (on the JVM's signal thread: it must not block)
   * @param again run on each later one
   * @return false when the signals could not be taken over
   */
  static boolean handle(Runnable first, Runnable again) {
    AtomicInteger received = new AtomicInteger();
    try {
      for (String name : new String[] {"TERM", "INT"}) {
        Signal.handle(new Signal(name), signal -> {
          if (received.getAndIncrement() == 0) {
            LOG.info("SIG{}: shutting down gracefully (send it again to stop at once)", signal.getName());
            first.run();
          } else {
            LOG.warn("SIG{} again: stopping at once", signal.getName());
            again.run();
          }
        });
      }
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      LOG.warn("cannot handle SIGTERM/SIGINT ({}); they stop the server through the shutdown hook", e.toString());
      return false;
    }
  }
}
