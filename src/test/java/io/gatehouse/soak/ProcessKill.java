package io.gatehouse.soak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code kill -9} of a process named by its pid file (a Gatehouse instance, a Redis server), and
 * its restart by a script that starts it in the background and writes the pid file again.
 */
final class ProcessKill implements Fault {

  private final String name;
  private final Path pidFile;
  private final List<String> start;
  private final Set<Allowance> allows;
  private final Duration grace;

  ProcessKill(String name, Path pidFile, List<String> start, Set<Allowance> allows, Duration grace) {
    this.name = name;
    this.pidFile = pidFile;
    this.start = List.copyOf(start);
    this.allows = allows;
    this.grace = grace;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<Allowance> allows() {
    return allows;
  }

  @Override
  public Duration grace() {
    return grace;
  }

  @Override
  public void inject() throws Exception {
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
    process.destroyForcibly(); // SIGKILL on Linux
    process.onExit().get(10, TimeUnit.SECONDS);
  }

  @Override
  public void heal() throws Exception {
    Process starting = new ProcessBuilder(start).inheritIO().start();
    if (!starting.waitFor(60, TimeUnit.SECONDS) || starting.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", start) + " failed");
    }
  }
}
