package io.gatehouse.cli;

import io.gatehouse.config.Config;
import io.gatehouse.config.Roles;
import io.gatehouse.identity.ApiKey;
import io.gatehouse.identity.ApiKeys;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gatehouse apikey create|list|revoke}. */
@Command(name = "apikey", description = "Manage API keys.",
    subcommands = {ApiKeyCommand.Create.class, ApiKeyCommand.ListKeys.class, ApiKeyCommand.Revoke.class})
final class ApiKeyCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: create, list, revoke");
  }

  @Command(name = "create", description = "Create a key for a user or a service; the key is printed once.")
  static final class Create extends UserCommand.StoreCommand {

    static final class Owner {
      @Option(names = "--user", paramLabel = "NAME", required = true)
      String user;

      @Option(names = "--service", paramLabel = "NAME", required = true)
      String service;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Owner owner;

    @Option(names = "--scope", paramLabel = "S", description = "a scope (repeatable)")
    List<String> scopes = new ArrayList<>();

    @Option(names = "--role", paramLabel = "R", description = "a role (repeatable)")
    List<String> roles = new ArrayList<>();

    @Option(names = "--expires", paramLabel = "DURATION", description = "lifetime such as 90d, 12h or 30m (default: none)")
    String expires;

    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([dhm])");

    @Override
    int run(StoreAccess store, Config config, PrintWriter out) throws Exception {
      for (String name : concat(scopes, roles)) {
        try {
          Roles.parse(name);
        } catch (IllegalArgumentException e) {
          System.err.println("gatehouse: '" + name + "' (expected: " + e.getMessage() + ")");
          return 2;
        }
      }
      Duration ttl = null;
      if (expires != null) {
        Matcher m = DURATION.matcher(expires);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
          System.err.println("gatehouse: --expires '" + expires + "' (expected: such as 90d, 12h or 30m)");
          return 2;
        }
        long n = Long.parseLong(m.group(1));
        ttl = switch (m.group(2)) {
          case "d" -> Duration.ofDays(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofMinutes(n);
        };
      }
      String userId = null;
      if (owner.user != null) {
        userId = require(store, owner.user).id();
      } else if (!owner.service.matches("[A-Za-z0-9_.-]{1,64}")) {
        System.err.println("gatehouse: --service '" + owner.service + "' (expected: 1-64 of A-Z a-z 0-9 _ . -)");
        return 2;
      }
      ApiKeys.Created created = StoreAccess.await(store.accounts().admin().createApiKey(userId,
          owner.user == null ? owner.service : null, roles, scopes, ttl));
      store.audit("apikey.create", userId, created.key().id());
      out.println("id: " + created.key().id());
      out.println("api_key: " + created.plaintext());
      out.println("(shown once; Gatehouse keeps only a hash)");
      return 0;
    }

    private static List<String> concat(List<String> a, List<String> b) {
      List<String> all = new ArrayList<>(a);
      all.addAll(b);
      return all;
    }
  }

  @Command(name = "list", description = "List API keys (never their secrets).")
  static final class ListKeys extends UserCommand.StoreCommand {

    @Override
    int run(StoreAccess store, Config config, PrintWriter out) throws Exception {
      out.printf("%-12s  %-36s  %-8s  %-24s  %-24s  %s%n", "ID", "OWNER", "STATUS", "EXPIRES", "LAST USED", "SCOPES");
      var now = store.accounts().clock().instant();
      for (ApiKey key : StoreAccess.await(store.accounts().apiKeys().list())) {
        String status = key.revokedAt() != null ? "revoked" : key.usableAt(now) ? "active" : "expired";
        out.printf("%-12s  %-36s  %-8s  %-24s  %-24s  %s%n", key.id(),
            key.userId() != null ? key.userId() : "service:" + key.service(), status,
            key.expiresAt() == null ? "-" : key.expiresAt(), key.lastUsedAt() == null ? "-" : key.lastUsedAt(),
            String.join(",", key.scopes()));
      }
      return 0;
    }
  }

  @Command(name = "revoke", description = "Revoke an API key at once.")
  static final class Revoke extends UserCommand.StoreCommand {

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    int run(StoreAccess store, Config config, PrintWriter out) throws Exception {
      if (!ApiKeys.ID.matcher(id).matches()) {
        System.err.println("gatehouse: no such key");
        return 1;
      }
      if (!StoreAccess.await(store.accounts().admin().revokeApiKey(id))) {
        System.err.println("gatehouse: no such live key");
        return 1;
      }
      store.audit("apikey.revoke", null, id);
      out.println("revoked " + id);
      return 0;
    }
  }
}
