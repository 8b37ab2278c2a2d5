package io.gatehouse.cli;

import io.gatehouse.Gatehouse;
import io.gatehouse.config.Config;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import io.vertx.core.Future;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

/**
 * {@code gatehouse serve}: starts the listeners and runs until stopped. SIGTERM or SIGINT drains
 * ({@link Gatehouse#drain()}: readiness 503, {@code shutdown.delay}, requests in flight finish up
 * to {@code shutdown.timeout}) and exits 0; a second one stops at once. SIGHUP reloads the config
 * file ({@code gatehouse reload} sends it, finding the process by the pid file written in the data
 * directory).
 */
@Command(name = "serve", description = "Start the gateway.")
final class ServeCommand implements Callable<Integer> {

  @Mixin
  ConfigOption config;

  @Override
  public Integer call() throws InterruptedException {
    ConfigSource source = config.source(System.getenv());
    ConfigSource.Loaded initial;
    try {
      initial = source.load();
    } catch (ConfigException e) {
      e.problems().forEach(System.err::println);
      return 2;
    }
    Config loaded = initial.config();
    Gatehouse gatehouse;
    try {
      gatehouse = Gatehouse.start(source, initial, Runtime.getRuntime().availableProcessors(), Clock.systemUTC(),
          System.out).toCompletionStage().toCompletableFuture().join();
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
    Path pidFile = ReloadCommand.pidFile(loaded);
    writePid(pidFile);
    Signal.handle(new Signal("HUP"), signal -> gatehouse.reload("signal"));
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean clean = new AtomicBoolean();
    boolean signals = ShutdownSignals.handle(() -> gatehouse.drain().onComplete(done -> {
      clean.set(done.succeeded());
      stopped.countDown();
    }), gatehouse::close);
    // Any other way out (System.exit, or signals the JVM kept): drain if the signals are the JVM's,
    // else just close, which a drain under way or done makes a no-op.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Future<Void> stopping = signals ? gatehouse.close() : gatehouse.drain();
      stopping.toCompletionStage().toCompletableFuture().join();
      clean.set(stopping.succeeded());
      deletePid(pidFile);
      stopped.countDown();
    }, "gatehouse-shutdown"));
    stopped.await();
    deletePid(pidFile);
    return clean.get() ? 0 : 1;
  }

  private static void writePid(Path pidFile) {
    try {
      Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()) + "\n");
    } catch (IOException e) {
      System.err.println("gatehouse: cannot write " + pidFile + " (" + e.getMessage() + "): `gatehouse reload` will not find "
          + "this process; send it SIGHUP instead");
    }
  }

  private static void deletePid(Path pidFile) {
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      // the next start writes it again
    }
  }

  private static String port(int port) {
    return port < 0 ? "off" : Integer.toString(port);
  }
}
