package io.gatehouse.cli;

import io.gatehouse.config.Config;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ConfigSource;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --config FILE}, else {@code GATEHOUSE_CONFIG}, else the defaults: shared by every command. */
final class ConfigOption {

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config file (default: $GATEHOUSE_CONFIG, else built-in defaults)")
  Path file;

  /** The config, or empty after every problem was printed to stderr (the command then exits 2). */
  Optional<Config> loadOrReport(Map<String, String> environment) {
    try {
      return Optional.of(load(environment));
    } catch (ConfigException e) {
      e.problems().forEach(System.err::println);
      return Optional.empty();
    }
  }

  Config load(Map<String, String> environment) throws ConfigException {
    return source(environment).load().config();
  }

  /** Where the config comes from: the file, read again on each reload; else the defaults. */
  ConfigSource source(Map<String, String> environment) {
    Path chosen = file;
    if (chosen == null && environment.get("GATEHOUSE_CONFIG") != null && !environment.get("GATEHOUSE_CONFIG").isBlank()) {
      chosen = Path.of(environment.get("GATEHOUSE_CONFIG"));
    }
    return chosen == null ? ConfigSource.of(ConfigLoader.defaults()) : ConfigSource.file(chosen, environment);
  }
}
