package io.gatehouse.cli;

import io.gatehouse.config.Config;
import io.gatehouse.identity.AccountServices;
import io.gatehouse.identity.Sessions;
import io.gatehouse.identity.passkey.Passkeys;
import io.gatehouse.oauth.GrantRevocations;
import io.gatehouse.oauth.TokenRevocations;
import io.gatehouse.observability.AuditEvent;
import io.gatehouse.store.RedisConnection;
import io.gatehouse.store.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.concurrent.ExecutionException;

/**
 * The store and account services for one CLI command, on the store the config names (the same
 * opener as the server's, Redis included when configured: ending a user's sessions ends them
 * where the servers keep them).
 * SQLite lets the CLI work next to a running server: a write waits (up to ten seconds) for the
 * server's, and the server sees the change on its next read.
 */
final class StoreAccess implements AutoCloseable {

  private final Vertx vertx;
  private final RedisConnection redis;
  private final Storage store;
  private final AccountServices accounts;
  private final Passkeys passkeys;

  StoreAccess(Config config) throws Exception {
    this.vertx = Vertx.vertx();
    try {
      if (!Files.isDirectory(config.store().dataDir())) {
        Files.createDirectories(config.store().dataDir(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      this.redis = config.store().redis() == null ? null
          : await(RedisConnection.open(vertx, config.store().redis()));
      this.store = Storage.open(vertx, config, redis, Clock.systemUTC());
      Clock clock = Clock.systemUTC();
      // Nothing is announced: a running server forgets the sessions it checked within half a second, and
      // reads the cut-offs of accounts again every TokenRevocations.CUT_OFF_POLL_MILLIS.
      TokenRevocations revocations = new TokenRevocations(config.issuer().toString(), store.revocations(), clock,
          config.tokens().accessTtl());
      this.accounts = AccountServices.create(vertx,
          new AccountServices.Stores(store.users(), store.sessions(), store.apiKeys(), store.audit(),
              store.secondFactors(), store.pendingSignIns()), config, clock,
          Sessions.Changes.NONE,
          new GrantRevocations(store.refreshTokens(), revocations, clock), null);
      this.passkeys = new Passkeys(store.passkeys());
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  AccountServices accounts() {
    return accounts;
  }

  /** Users' passkeys, whether or not {@code passkeys} are enabled: an operator removes them either way. */
  Passkeys passkeys() {
    return passkeys;
  }

  Storage storage() {
    return store;
  }

  /** Waits for {@code future}; its failure is rethrown as is. */
  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Records what the command did in the audit trail; the CLI has no client address or request id. */
  void audit(String event, String userId, String detail) throws Exception {
    await(accounts.audit().record(new AuditEvent(accounts.clock().instant(), event, "success", userId, null, null,
        detail == null ? "cli" : "cli " + detail)));
  }

  @Override
  public void close() {
    store.close();
    if (redis != null) {
      redis.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
