package io.gatehouse.cli;

import io.gatehouse.Gatehouse;
import io.gatehouse.config.Config;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

/**
 * {@code gatehouse serve}: starts the listeners and runs until stopped (SIGTERM/SIGINT close them
 * cleanly). SIGHUP reloads the config file ({@code gatehouse reload} sends it, finding the process
 * by the pid file it writes in the data directory).
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
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gatehouse.close().toCompletionStage().toCompletableFuture().join();
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException e) {
        // the next start writes it again
      }
      stopped.countDown();
    }, "gatehouse-shutdown"));
    stopped.await();
    return 0;
  }

  private static void writePid(Path pidFile) {
    try {
      Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()) + "\n");
    } catch (IOException e) {
      System.err.println("gatehouse: cannot write " + pidFile + " (" + e.getMessage() + "): `gatehouse reload` will not find "
          + "this process; send it SIGHUP instead");
    }
  }

  private static String port(int port) {
    return port < 0 ? "off" : Integer.toString(port);
  }
}
