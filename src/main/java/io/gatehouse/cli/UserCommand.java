package io.gatehouse.cli;

import io.gatehouse.config.Config;
import io.gatehouse.config.Roles;
import io.gatehouse.identity.InvalidFieldException;
import io.gatehouse.identity.User;
import io.gatehouse.identity.UsernameTakenException;
import io.gatehouse.identity.passkey.Passkey;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gatehouse user add|list|disable|set-password|mfa reset|passkeys list|passkeys remove}: accounts on the
 * configured data directory.
 */
@Command(name = "user", description = "Manage user accounts.",
    subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Disable.class, UserCommand.SetPassword.class,
        UserCommand.Mfa.class, UserCommand.PasskeysCommand.class})
final class UserCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: add, list, disable, set-password, mfa, passkeys");
  }

  /** Shared by the subcommands: config, output, and the one way they report failure. */
  abstract static class StoreCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    /** A refusal with its message and exit code, reported by {@link #call}. */
    static final class Refused extends Exception {
      final int exitCode;

      Refused(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
      }
    }

    @Override
    public Integer call() throws Exception {
      Config loaded = config.loadOrReport(System.getenv()).orElse(null);
      if (loaded == null) {
        return 2;
      }
      try (StoreAccess store = new StoreAccess(loaded)) {
        return run(store, loaded, spec.commandLine().getOut());
      } catch (Refused e) {
        System.err.println("gatehouse: " + e.getMessage());
        return e.exitCode;
      } catch (InvalidFieldException e) {
        System.err.println("gatehouse: " + e.field().replace('_', '-') + " " + e.reason());
        return 1;
      } catch (UsernameTakenException e) {
        System.err.println("gatehouse: that username is taken");
        return 1;
      } catch (IllegalStateException e) {
        // What the store or the master key says is wrong (an unreachable server, a missing key): no stack trace.
        System.err.println("gatehouse: " + e.getMessage());
        return 1;
      }
    }

    abstract int run(StoreAccess store, Config config, PrintWriter out) throws Exception;

    /** The user called {@code name}; refused with exit code 1 when there is none. */
    static User require(StoreAccess store, String name) throws Exception {
      return StoreAccess.await(store.accounts().accounts().lookup(name)).orElseThrow(() -> new Refused("no such user", 1));
    }
  }

  @Command(name = "add", description = "Create a user. The password comes from stdin (--password-stdin) or a prompt.")
  static final class Add extends StoreCommand {

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--role", paramLabel = "R", description = "a role (repeatable)")
    List<String> roles = new ArrayList<>();

    @Option(names = "--email", paramLabel = "E")
    String email;

    @Option(names = "--password-stdin", description = "read the password from stdin (trailing newline stripped)")
    boolean passwordStdin;

    @Option(names = "--password-hash", paramLabel = "PHC",
        description = "import an existing hash instead ($argon2id$… or $pbkdf2-sha256$i=…, 600000+ iterations)")
    String passwordHash;

    @Override
    int run(StoreAccess store, Config config, PrintWriter out) throws Exception {
      for (String role : roles) {
        try {
          Roles.parse(role);
        } catch (IllegalArgumentException e) {
          System.err.println("gatehouse: role '" + role + "' (expected: " + e.getMessage() + ")");
          return 2;
        }
      }
      String password = passwordHash != null ? null : Passwords.read(passwordStdin, true);
      if (password == null && passwordHash == null) {
        return 2;
      }
      User user = StoreAccess.await(store.accounts().accounts().create(name, password, passwordHash, email, roles));
      store.audit("signup", user.id(), null);
      out.println("created user " + user.username() + " (" + user.id() + ")");
      return 0;
    }
  }

  @Command(name = "list", description = "List users.")
  static final class ListUsers extends StoreCommand {

    @Override
    int run(StoreAccess store, Config config, PrintWriter out) throws Exception {
      out.printf("%-36s  %-24s  %-8s  %s%n", "ID", "USERNAME", "STATUS", "ROLES");
      for (User user : StoreAccess.await(store.accounts().users().list())) {
        out.printf("%-36s  %-24s  %-8s  %s%n", user.id(), user.username(), user.disabled() ? "disabled" : "active",
            String.join(",", user.roles()));
      }
      return 0;
    }
  }

  @Command(name = "mfa", description = "Manage a user's second factors.", subcommands = {UserCommand.MfaReset.class})
  static final class Mfa implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getErr());
    }
  }

  @Command(name = "reset", description = "Remove a user's authenticator and recovery codes (a lost phone): the user "
      + "enrols again, at the next sign-in when identity.mfa is required.")
  static final class MfaReset extends StoreCommand {

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    int run(StoreAccess store, Config config, PrintWriter out) throws Exception {
      User user = require(store, name);
      boolean removed = StoreAccess.await(store.accounts().admin().resetFactors(user.id()));
      store.audit("user.mfa_reset", user.id(), removed ? null : "none enrolled");
      out.println(removed ? "reset the second factors of user " + user.username()
          : "user " + user.username() + " has no second factor");
      return 0;
    }
  }

  @Command(name = "passkeys", description = "List or remove a user's passkeys.",
      subcommands = {UserCommand.PasskeysList.class, UserCommand.PasskeysRemove.class})
  static final class PasskeysCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getErr());
    }
  }

  @Command(name = "list", description = "List a user's passkeys: credential id, name, created, last used.")
  static final class PasskeysList extends StoreCommand {

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    int run(StoreAccess store, Config config, PrintWriter out) throws Exception {
      User user = require(store, name);
      // The credential id in full (remove takes it); never the public key.
      out.printf("%-43s  %-24s  %-20s  %s%n", "CREDENTIAL ID", "NAME", "CREATED", "LAST USED");
      for (Passkey passkey : StoreAccess.await(store.passkeys().list(user.id()))) {
        out.printf("%-43s  %-24s  %-20s  %s%n", passkey.credentialId(), passkey.name(), time(passkey.createdAt()),
            passkey.lastUsedAt() == null ? "never" : time(passkey.lastUsedAt()));
      }
      return 0;
    }

    private static String time(Instant at) {
      return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }
  }

  @Command(name = "remove", description = "Remove a user's passkey (a lost or stolen device): it signs no one in "
      + "from now on; sessions already started with it go on until they end.")
  static final class PasskeysRemove extends StoreCommand {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "CREDENTIAL_ID", description = "as user passkeys list shows it")
    String credentialId;

    @Override
    int run(StoreAccess store, Config config, PrintWriter out) throws Exception {
      User user = require(store, name);
      if (!StoreAccess.await(store.passkeys().remove(user.id(), credentialId))) {
        throw new Refused("user " + user.username() + " has no passkey " + Passkey.shortId(credentialId), 1);
      }
      store.audit("user.passkey_remove", user.id(), "credential=" + Passkey.shortId(credentialId));
      out.println("removed passkey " + Passkey.shortId(credentialId) + " of user " + user.username());
      return 0;
    }
  }

  @Command(name = "disable", description = "Disable a user: no login, and its sessions and API keys stop working at once.")
  static final class Disable extends StoreCommand {

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    int run(StoreAccess store, Config config, PrintWriter out) throws Exception {
      User user = require(store, name);
      StoreAccess.await(store.accounts().admin().setDisabled(user.id(), true));
      store.audit("user.disable", user.id(), null);
      out.println("disabled user " + user.username());
      return 0;
    }
  }

  @Command(name = "set-password", description = "Set a user's password (from stdin with --password-stdin, or a prompt); ends its sessions.")
  static final class SetPassword extends StoreCommand {

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--password-stdin", description = "read the password from stdin (trailing newline stripped)")
    boolean passwordStdin;

    @Override
    int run(StoreAccess store, Config config, PrintWriter out) throws Exception {
      User user = require(store, name);
      String password = Passwords.read(passwordStdin, true);
      if (password == null) {
        return 2;
      }
      StoreAccess.await(store.accounts().admin().setPassword(user, password));
      store.audit("password.change", user.id(), null);
      out.println("password set for " + user.username());
      return 0;
    }
  }

  /** Reading a password without echoing it or leaving it in shell history. */
  static final class Passwords {

    private Passwords() {
    }

    /** The password, or null (with a message) when none could be read. */
    static String read(boolean fromStdin, boolean confirm) throws IOException {
      if (fromStdin) {
        InputStream in = System.in;
        byte[] bytes = in.readNBytes(4096);
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.endsWith("\r\n")) {
          text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("\n")) {
          text = text.substring(0, text.length() - 1);
        }
        return text;
      }
      Console console = System.console();
      if (console == null) {
        System.err.println("gatehouse: no terminal to ask for a password; use --password-stdin");
        return null;
      }
      char[] first = console.readPassword("Password: ");
      char[] second = confirm ? console.readPassword("Again: ") : first;
      if (first == null || !Arrays.equals(first, second)) {
        System.err.println("gatehouse: the passwords do not match");
        return null;
      }
      return new String(first);
    }
  }
}
