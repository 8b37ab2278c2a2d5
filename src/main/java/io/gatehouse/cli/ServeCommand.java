package io.gatehouse.cli;

import io.gatehouse.Gatehouse;
import io.gatehouse.config.Config;
import io.vertx.core.Future;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code gatehouse serve}: starts the listeners and runs until stopped. SIGTERM or SIGINT drains
 * ({@link Gatehouse#drain()}: readiness 503, {@code shutdown.delay}, requests in flight finish up
 * to {@code shutdown.timeout}) and exits 0; a second one stops at once.
 */
@Command(name = "serve", description = "Start the gateway.")
final class ServeCommand implements Callable<Integer> {

  @Mixin
  ConfigOption config;

  @Override
  public Integer call() throws InterruptedException {
    Config loaded = config.loadOrReport(System.getenv()).orElse(null);
    if (loaded == null) {
      return 2;
    }
    Gatehouse gatehouse;
    try {
      gatehouse = Gatehouse.start(loaded).toCompletionStage().toCompletableFuture().join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      System.err.println("gatehouse: failed to start: " + cause.getMessage());
      return 1;
    }
    System.out.println("Gatehouse is listening: http " + port(gatehouse.httpPort()) + ", https " + port(gatehouse.httpsPort())
        + ", management " + port(gatehouse.managementPort()) + " (" + loaded.management().listener().host() + ")");
    if (gatehouse.hasNoUsers().toCompletionStage().toCompletableFuture().join()) {
      System.out.println("No users yet. Create the first admin with: java -jar target/gatehouse.jar user add admin --role admin");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean clean = new AtomicBoolean();
    boolean signals = ShutdownSignals.handle(() -> gatehouse.drain().onComplete(done -> {
      clean.set(done.succeeded());
      stopped.countDown();
    }), gatehouse::close);
    // Any other way out (SIGHUP, or signals the JVM kept): drain if the signals are the JVM's, else
    // just close, which a drain under way or done makes a no-op.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Future<Void> stopping = signals ? gatehouse.close() : gatehouse.drain();
      stopping.toCompletionStage().toCompletableFuture().join();
      clean.set(stopping.succeeded());
      stopped.countDown();
    }, "gatehouse-shutdown"));
    stopped.await();
    return clean.get() ? 0 : 1;
  }

  private static String port(int port) {
    return port < 0 ? "off" : Integer.toString(port);
  }
}
