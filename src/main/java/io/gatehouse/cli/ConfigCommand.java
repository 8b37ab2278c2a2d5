package io.gatehouse.cli;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gatehouse config check FILE}: validates a config without starting; prints OK or every error (exit 2). */
@Command(name = "config", description = "Work with config files.", subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: check");
  }

  @Command(name = "check", description = "Validate FILE and print OK or every error.")
  static final class Check implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the YAML config file")
    Path file;

    @Override
    public Integer call() {
      java.io.PrintWriter out = spec.commandLine().getOut();
      try {
        new ConfigLoader(System.getenv()).load(file);
        out.println("OK");
        return 0;
      } catch (ConfigException e) {
        e.problems().forEach(out::println);
        return 2;
      } finally {
        out.flush();
      }
    }
  }
}
