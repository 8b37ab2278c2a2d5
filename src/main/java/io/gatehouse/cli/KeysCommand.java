package io.gatehouse.cli;

import com.nimbusds.jose.jwk.JWK;
import io.gatehouse.config.Config;
import io.gatehouse.keys.MasterKey;
import io.gatehouse.keys.SigningKeys;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gatehouse keys list|rotate}: Gatehouse's token signing keys. */
@Command(name = "keys", description = "Manage the keys that sign Gatehouse's tokens.",
    subcommands = {KeysCommand.ListKeys.class, KeysCommand.Rotate.class})
final class KeysCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: list, rotate");
  }

  static SigningKeys open(StoreAccess store, Config config) throws Exception {
    SigningKeys keys = new SigningKeys(store.storage().signingKeys(),
        MasterKey.load(System.getenv(), config.store().dataDir(), !config.store().isShared()), config.tokens(),
        Clock.systemUTC());
    StoreAccess.await(keys.maintain());
    return keys;
  }

  @Command(name = "list", description = "List the published signing keys; the one that signs now is marked.")
  static final class ListKeys extends UserCommand.StoreCommand {

    @Override
    int run(StoreAccess store, Config config, PrintWriter out) throws Exception {
      SigningKeys keys = open(store, config);
      String signing = keys.signing().getKeyID();
      for (JWK key : keys.published().getKeys()) {
        out.printf("%s  %-6s  %s%n", key.getKeyID(), key.getAlgorithm(), key.getKeyID().equals(signing) ? "signing" : "");
      }
      return 0;
    }
  }

  @Command(name = "rotate", description = "Hand over to the next key now (published since it was made) and make a new next "
      + "one. A running Gatehouse signs with it from its next key check, within the hour.")
  static final class Rotate extends UserCommand.StoreCommand {

    @Override
    int run(StoreAccess store, Config config, PrintWriter out) throws Exception {
      SigningKeys keys = open(store, config);
      String before = keys.signing().getKeyID();
      StoreAccess.await(keys.rotate());
      store.audit("keys.rotate", null, "from " + before + " to " + keys.signing().getKeyID());
      out.println("signing key is now " + keys.signing().getKeyID());
      return 0;
    }
  }
}
