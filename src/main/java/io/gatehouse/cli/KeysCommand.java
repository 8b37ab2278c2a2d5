package io.gatehouse.cli;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import io.gatehouse.config.Config;
import io.gatehouse.keys.MasterKey;
import io.gatehouse.keys.SigningKeys;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
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

  @Command(name = "list", description = "List the published signing keys; those that sign now (one per algorithm) are "
      + "marked.")
  static final class ListKeys extends UserCommand.StoreCommand {

    @Override
    int run(StoreAccess store, Config config, PrintWriter out) throws Exception {
      SigningKeys keys = open(store, config);
      var signing = keys.signingKeyIds();
      for (JWK key : keys.published().getKeys()) {
        out.printf("%s  %-6s  %s%n", key.getKeyID(), key.getAlgorithm(), signing.contains(key.getKeyID()) ? "signing" : "");
      }
      return 0;
    }
  }

  @Command(name = "rotate", description = "Hand over to the next keys now (published since they were made) and make new "
      + "next ones. A running Gatehouse signs with them from its next key check, within the hour.")
  static final class Rotate extends UserCommand.StoreCommand {

    @Override
    int run(StoreAccess store, Config config, PrintWriter out) throws Exception {
      SigningKeys keys = open(store, config);
      Map<JWSAlgorithm, String> before = new LinkedHashMap<>();
      keys.algorithms().forEach(algorithm -> before.put(algorithm, keys.signing(algorithm).getKeyID()));
      StoreAccess.await(keys.rotate());
      for (JWSAlgorithm algorithm : keys.algorithms()) {
        String now = keys.signing(algorithm).getKeyID();
        store.audit("keys.rotate", null, algorithm + " from " + before.get(algorithm) + " to " + now);
        // tokens.algorithm's key signs access tokens (and, when it is RS256, id tokens too)
        out.println(algorithm.equals(keys.algorithms().get(0)) ? "signing key is now " + now
            : algorithm + " signing key (id tokens) is now " + now);
      }
      return 0;
    }
  }
}
