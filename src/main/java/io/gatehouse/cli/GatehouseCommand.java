package io.gatehouse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gatehouse}: the entry point. Exit codes: 0 ok, 1 failure, 2 usage or config error. */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "A secure API gateway with its own identity and OAuth 2.0 / OpenID Connect server.",
    subcommands = {ServeCommand.class, ReloadCommand.class, ConfigCommand.class, UserCommand.class, ApiKeyCommand.class, ClientCommand.class, KeysCommand.class})
public final class GatehouseCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    NettyRuntime.configure(Runtime.version().feature(), System.getenv());
    if (args.length == 0 || !args[0].equals("serve")) {
      // Read by logback.xml before the first log line: a command's stdout is its answer, logs go to stderr.
      System.setProperty("gatehouse.log.target", "System.err");
    }
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; exit code 2 for usage errors. */
  public static CommandLine commandLine() {
    return new CommandLine(new GatehouseCommand()); // picocli's defaults: 2 for usage errors, 1 for failures
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }
}
