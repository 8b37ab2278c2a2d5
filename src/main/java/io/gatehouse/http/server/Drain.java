package io.gatehouse.http.server;

import io.gatehouse.config.ShutdownConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful shutdown, the order a load balancer needs so that no request fails:
 *
 * <ol>
 *   <li>at once, {@link #begun()} turns true: {@code /health/ready} answers 503, while every listener
 *       keeps accepting and serving for {@code shutdown.delay}, the time the balancer's health check
 *       takes to see it and send nothing more;
 *   <li>then the public listeners stop accepting, and each connection ends after what it is doing
 *       ({@link Listener#drain()}: {@code Connection: close}, GOAWAY, a WebSocket Close 1001);
 *   <li>once they have all closed, the management listener likewise, so {@code /health/ready} says
 *       503 to the end;
 *   <li>the drain completes when every connection has closed, {@code shutdown.timeout} after the
 *       delay at the latest, or at once on {@link #force()}; what is still open is then cut by
 *       whoever closes the event loops.
 * </ol>
 *
 * Thread-safe; its timers run on Vert.x, and nothing here blocks.
 */
public final class Drain {

  private static final Logger LOG = LoggerFactory.getLogger(Drain.class);

  private final Vertx vertx;
  private final ShutdownConfig config;
  private final Promise<Void> forced = Promise.promise();
  private volatile boolean begun;
  private Future<Void> drained; // guarded by this

  public Drain(Vertx vertx, ShutdownConfig config) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Whether a drain has begun: from then on the instance is not ready for new work. */
  public boolean begun() {
    return begun;
  }

  /**
   * Drains {@code front} (the public listeners), then {@code back} (the management listener);
   * later calls get the first call's future.
   *
   * @return completes (never fails) when every connection of them closed, the timeout passed, or
   *     {@link #force()} was called
   */
  public synchronized Future<Void> run(List<Listener> front, List<Listener> back) {
    if (drained != null) {
      return drained;
    }
    begun = true;
    LOG.info("shutting down: /health/ready answers 503; accepting for {} ms more, then waiting up to {} ms "
        + "for the requests in flight", config.delay().toMillis(), config.timeout().toMillis());
    Promise<Void> done = Promise.promise();
    forced.future().onComplete(now -> done.tryComplete());
    after(config.delay().toMillis()).onComplete(delayed -> {
      if (done.future().isComplete()) {
        return;
      }
      LOG.info("no longer accepting; {} connection(s) open end after what they are doing",
          front.stream().mapToInt(Listener::openConnections).sum());
      long deadline = vertx.setTimer(config.timeout().toMillis(), id -> {
        int open = front.stream().mapToInt(Listener::openConnections).sum()
            + back.stream().mapToInt(Listener::openConnections).sum();
        if (done.tryComplete()) {
          LOG.warn("shutdown.timeout of {} ms passed with {} connection(s) open; cutting them",
              config.timeout().toMillis(), open);
        }
      });
      done.future().onComplete(ended -> vertx.cancelTimer(deadline));
      // Once done (timed out, forced), the event loops may be closing: the management listener is left to them.
      drainAll(front).compose(frontDone -> done.future().isComplete() ? Future.succeededFuture() : drainAll(back))
          .onComplete(all -> {
            if (done.tryComplete()) {
              LOG.info("drained: every connection closed");
            }
          });
    });
    drained = done.future();
    return drained;
  }

  /** Ends the wait now (a second SIGTERM, or a close during the drain). */
  public void force() {
    forced.tryComplete();
  }

  private Future<Void> after(long millis) {
    if (millis <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> elapsed = Promise.promise();
    vertx.setTimer(millis, id -> elapsed.complete());
    return elapsed.future();
  }

  private static Future<Void> drainAll(List<Listener> listeners) {
    return Future.join(listeners.stream().map(Listener::drain).toList()).mapEmpty();
  }
}
