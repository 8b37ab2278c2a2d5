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
final class ProcessKill {

  private ProcessKill() {
  }

  /** The fault: inject kills the process, heal runs {@code start} and waits for it to succeed. */
  static Fault of(String name, Path pidFile, List<String> start, Set<Allowance> allows, Duration grace) {
    List<String> command = List.copyOf(start);
    return Fault.of(name, allows, grace, () -> kill(pidFile), () -> restart(command));
  }

  private static void kill(Path pidFile) throws Exception {
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
    process.destroyForcibly(); // SIGKILL on Linux
    process.onExit().get(10, TimeUnit.SECONDS);
  }

  private static void restart(List<String> start) throws Exception {
    Process starting = new ProcessBuilder(start).inheritIO().start();
    if (!starting.waitFor(60, TimeUnit.SECONDS) || starting.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", start) + " failed");
    }
  }
}
