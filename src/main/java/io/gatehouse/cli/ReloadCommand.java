package io.gatehouse.cli;

import io.gatehouse.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code gatehouse reload}: asks the running server (found by the pid file {@code serve} writes in
 * the data directory) to read its config file again, as SIGHUP does. The reload is all or
 * nothing; its outcome is in the server's log, its audit and {@code /health/ready}'s config digest.
 */
@Command(name = "reload", description = "Ask the running server to reload its config file (SIGHUP).")
final class ReloadCommand implements Callable<Integer> {

  private static final String PID_FILE = "gatehouse.pid";

  @Mixin
  ConfigOption config;

  /** Where {@code serve} writes its process id. */
  static Path pidFile(Config config) {
    return config.store().dataDir().resolve(PID_FILE);
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    Config loaded = config.loadOrReport(System.getenv()).orElse(null);
    if (loaded == null) {
      return 2;
    }
    Path file = pidFile(loaded);
    long pid;
    try {
      pid = Long.parseLong(Files.readString(file).strip());
    } catch (NoSuchFileException e) {
      System.err.println("gatehouse: no " + file + ": is `gatehouse serve` running with this config?");
      return 1;
    } catch (NumberFormatException e) {
      System.err.println("gatehouse: " + file + " does not hold a process id");
      return 1;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      System.err.println("gatehouse: process " + pid + " (from " + file + ") is not running");
      return 1;
    }
    // The JDK cannot send SIGHUP itself; kill(1) is on every system Gatehouse runs on.
    int exit = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start().waitFor();
    if (exit != 0) {
      return 1;
    }
    System.out.println("Asked Gatehouse (pid " + pid + ") to reload its configuration; the outcome is in its log "
        + "and in /health/ready (config digest).");
    return 0;
  }
}
