package io.gatehouse.cli;

import io.gatehouse.config.Config;
import io.gatehouse.identity.SecretTokens;
import io.gatehouse.oauth.ClientIdTakenException;
import io.gatehouse.oauth.Clients;
import io.gatehouse.oauth.OAuthClient;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gatehouse client add|list|remove}: OAuth clients. */
@Command(name = "client", description = "Manage OAuth clients.",
    subcommands = {ClientCommand.Add.class, ClientCommand.ListClients.class, ClientCommand.Remove.class})
final class ClientCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: add, list, remove");
  }

  static Clients clients(StoreAccess store, Config config) {
    return new Clients(store.storage().clients(), new SecretTokens(), Clock.systemUTC(), config.issuer(),
        config.tokens().signingAlgorithms(), store.storage().spentAssertions());
  }

  @Command(name = "add", description = "Register a client; a confidential client's secret is printed once.")
  static final class Add extends UserCommand.StoreCommand {

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--grant", paramLabel = "G",
        description = "client_credentials, authorization_code or refresh_token (repeatable; default: client_credentials, "
            + "or authorization_code for a public client)")
    List<String> grants = new ArrayList<>();

    @Option(names = "--scope", paramLabel = "S", description = "a scope it may ask for (repeatable)")
    List<String> scopes = new ArrayList<>();

    @Option(names = "--redirect-uri", paramLabel = "U", description = "an exact redirect URI (repeatable)")
    List<String> redirectUris = new ArrayList<>();

    @Option(names = "--audience", paramLabel = "A", description = "a resource its tokens may be for (repeatable)")
    List<String> audiences = new ArrayList<>();

    @Option(names = "--public", description = "a public client (no secret; PKCE required)")
    boolean isPublic;

    @Option(names = "--first-party", description = "trusted: skips the consent page")
    boolean firstParty;

    @Option(names = "--jwks-file", paramLabel = "FILE",
        description = "a JWK set of the client's public keys: it authenticates with private_key_jwt, no secret")
    Path jwksFile;

    @Option(names = "--id-token-signed-response-alg", paramLabel = "ALG",
        description = "the algorithm of its id tokens: RS256 (default) or tokens.algorithm")
    String idTokenSignedResponseAlg;

    @Override
    int run(StoreAccess store, Config config, PrintWriter out) throws Exception {
      List<String> chosen = !grants.isEmpty() ? grants
          : List.of(isPublic ? Clients.AUTHORIZATION_CODE : Clients.CLIENT_CREDENTIALS);
      Clients.Created created;
      try {
        String jwks = jwksFile == null ? null : Files.readString(jwksFile);
        created = StoreAccess.await(clients(store, config).create(id, chosen, scopes, audiences, redirectUris, isPublic,
            firstParty, jwks, idTokenSignedResponseAlg));
      } catch (ClientIdTakenException e) {
        throw new Refused("client id '" + id + "' is taken", 1);
      }
      store.audit("client.create", null, created.client().clientId());
      out.println("client_id: " + created.client().clientId());
      if (created.secret() != null) {
        out.println("client_secret: " + created.secret());
      }
      return 0;
    }
  }

  @Command(name = "list", description = "List clients (never their secrets).")
  static final class ListClients extends UserCommand.StoreCommand {

    @Override
    int run(StoreAccess store, Config config, PrintWriter out) throws Exception {
      out.printf("%-24s  %-12s  %-40s  %s%n", "CLIENT_ID", "TYPE", "GRANTS", "SCOPES");
      for (OAuthClient client : StoreAccess.await(clients(store, config).list())) {
        out.printf("%-24s  %-12s  %-40s  %s%n", client.clientId(), client.isPublic() ? "public" : "confidential",
            String.join(",", client.grants()), String.join(",", client.scopes()));
      }
      return 0;
    }
  }

  @Command(name = "remove", description = "Remove a client: its secret stops working at once.")
  static final class Remove extends UserCommand.StoreCommand {

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    int run(StoreAccess store, Config config, PrintWriter out) throws Exception {
      if (!StoreAccess.await(clients(store, config).remove(id))) {
        throw new Refused("no client '" + id + "'", 1);
      }
      store.audit("client.remove", null, id);
      out.println("removed client " + id);
      return 0;
    }
  }
}
