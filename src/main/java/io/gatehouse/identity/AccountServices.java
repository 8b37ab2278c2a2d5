package io.gatehouse.identity;

import io.gatehouse.config.Config;
import io.gatehouse.config.IdentityConfig;
import io.gatehouse.keys.MasterKey;
import io.gatehouse.observability.AuditLog;
import io.gatehouse.observability.AuditStore;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * The identity capability's services assembled over a store: accounts, sessions, API keys, the
 * audit log and the browser cookies. Used by the server (whose HTTP face over them is
 * {@code identity.web.AccountEndpoints}) and by the CLI alike.
 */
public record AccountServices(Accounts accounts, Sessions sessions, ApiKeys apiKeys, UserStore users,
    SessionCookies cookies, AuditLog audit, Clock clock, SecondFactors secondFactors, PendingSignIns pendingSignIns,
    IdentityConfig identity) {

  /**
   * Blocking (prepares the password hasher): call it off the event loop.
   *
   * @param changes where session ends and user changes are announced to the other instances
   * @param issued the tokens issued on a session's or an account's strength, which end with it
   * @param masterKey seals TOTP secrets; null where nothing enrols (the CLI only resets factors)
   */
  public static AccountServices create(Vertx vertx, Stores store, Config config, Clock clock,
      Sessions.Changes changes, IssuedTokens issued, MasterKey masterKey) {
    // Argon2 takes 19 MiB and a core for a moment per hash: as many at once as there are cores,
    // and at most a few seconds' worth waiting.
    int cores = Runtime.getRuntime().availableProcessors();
    HashingPool hashing = new HashingPool(vertx.createSharedWorkerExecutor("gatehouse-hash", cores), 32 * cores);
    SecretTokens tokens = new SecretTokens();
    Accounts accounts = new Accounts(store.users(), new PasswordHasher(PasswordHasher.Argon2Cost.OWASP),
        PasswordPolicy.withShippedList(), hashing, clock);
    Sessions sessions = new Sessions(store.sessions(), store.users(), config.sessions(), tokens, clock, changes,
        issued);
    ApiKeys apiKeys = new ApiKeys(store.apiKeys(), tokens, clock);
    return new AccountServices(accounts, sessions, apiKeys, store.users(), new SessionCookies(config.sessions()),
        new AuditLog(store.audit()), clock,
        new SecondFactors(store.secondFactors(), masterKey, config.identity().totpIssuer(), clock),
        new PendingSignIns(store.pendingSignIns(), tokens, clock), config.identity());
  }

  /** The storage ports identity's services are made over. */
  public record Stores(UserStore users, SessionStore sessions, ApiKeyStore apiKeys, AuditStore audit,
      SecondFactorStore secondFactors, PendingSignInStore pendingSignIns) {
  }

  /** The administrative operations, shared by the CLI and the admin API. */
  public AccountAdmin admin() {
    return new AccountAdmin(accounts, users, sessions, apiKeys, clock, secondFactors);
  }
}
