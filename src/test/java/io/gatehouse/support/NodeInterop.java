package io.gatehouse.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The npm packages of {@code src/test/interop} (OAuth clients from the npm registry), installed
 * once per build into {@code target/interop} and installed again when {@code package.json}
 * changes, and their scripts run with node. Without node and npm the calling test is skipped,
 * unless {@code GATEHOUSE_REQUIRE_SERVICES} is set ({@code .ci/run} installs both from Debian).
 */
public final class NodeInterop {

  private static final Path SOURCES = Path.of("src/test/interop");
  private static final Path PROJECT = Path.of("target/interop");

  /** What a command printed (stdout and stderr) and its exit code; -1 when it timed out. */
  public record Run(int exit, String output) {
  }

  private NodeInterop() {
  }

  /** The installed project's directory, with the current scripts; skips the test without node and npm. */
  public static synchronized Path installed() throws IOException, InterruptedException {
    boolean present = Files.isExecutable(Path.of("/usr/bin/node")) && Files.isExecutable(Path.of("/usr/bin/npm"));
    if (System.getenv("GATEHOUSE_REQUIRE_SERVICES") == null) {
      assumeTrue(present, "node and npm are not installed");
    }
    Files.createDirectories(PROJECT);
    Path manifest = PROJECT.resolve("package.json");
    boolean current = Files.exists(manifest) && Files.exists(PROJECT.resolve("node_modules/.package-lock.json"))
        && Files.mismatch(manifest, SOURCES.resolve("package.json")) == -1;
    try (Stream<Path> files = Files.list(SOURCES)) {
      for (Path file : files.toList()) {
        Files.copy(file, PROJECT.resolve(file.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (!current) {
      Run install = run(Map.of(), "npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
      if (install.exit() != 0) {
        Files.deleteIfExists(manifest); // installed again next time
        throw new IllegalStateException("npm install failed: " + install.output());
      }
    }
    return PROJECT;
  }

  /** Runs {@code command} in the installed project with {@code environment} added, for at most 3 minutes. */
  public static Run run(Map<String, String> environment, String... command) throws IOException, InterruptedException {
    // Output to a file, not a pipe: a pipe nobody reads while waiting would stall a talkative process.
    Path log = Files.createTempFile("interop", ".log");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      process.getOutputStream().close();
      boolean done = process.waitFor(180, TimeUnit.SECONDS);
      if (!done) {
        process.destroyForcibly().waitFor();
      }
      return new Run(done ? process.exitValue() : -1, Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
