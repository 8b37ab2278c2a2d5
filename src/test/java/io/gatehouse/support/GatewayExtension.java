package io.gatehouse.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real gateway and a test upstream for a whole test class, started before its first test and
 * stopped (its data directory removed) after its last: the start and stop that integration tests
 * otherwise repeat by hand. Use it as {@code @RegisterExtension static final GatewayExtension env =
 * GatewayExtension.of("routes: ...")}; the YAML may name the upstream as {@code ${UP}}.
 */
public final class GatewayExtension implements BeforeAllCallback, AfterAllCallback {

  private final String yaml;
  private final Map<String, String> variables;
  private final Clock clock;
  private Path dir;
  private GatewayWithUpstream env;

  private GatewayExtension(String yaml, Map<String, String> variables, Clock clock) {
    this.yaml = yaml;
    this.variables = Map.copyOf(variables);
    this.clock = clock;
  }

  public static GatewayExtension of(String yaml) {
    return new GatewayExtension(yaml, Map.of(), Clock.systemUTC());
  }

  public static GatewayExtension of(String yaml, Map<String, String> variables) {
    return new GatewayExtension(yaml, variables, Clock.systemUTC());
  }

  /** With the gateway on {@code clock} (a {@link SkewedClock} a test moves on). */
  public static GatewayExtension of(String yaml, Clock clock) {
    return new GatewayExtension(yaml, Map.of(), clock);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("gatehouse-test");
    env = GatewayWithUpstream.start(dir, yaml, variables, clock);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (env != null) {
      env.close();
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public GatehouseFixture gateway() {
    return env.gateway;
  }

  public TestUpstream upstream() {
    return env.upstream;
  }

  /** The gateway's data directory (its SQLite file, its generated certificate). */
  public Path dataDir() {
    return dir;
  }
}
