package io.gatehouse.store;

import io.gatehouse.config.Config;
import io.gatehouse.config.StoreConfig;
import io.gatehouse.http.ChildSpans;
import io.gatehouse.identity.ApiKeyStore;
import io.gatehouse.identity.SessionStore;
import io.gatehouse.identity.UserStore;
import io.gatehouse.identity.passkey.PasskeyStore;
import io.gatehouse.identity.passkey.WebAuthnChallengeStore;
import io.gatehouse.identity.PendingSignInStore;
import io.gatehouse.identity.SecondFactorStore;
import io.gatehouse.keys.SigningKeyStore;
import io.gatehouse.oauth.AuthorizationCodeStore;
import io.gatehouse.oauth.ClientStore;
import io.gatehouse.oauth.ConsentStore;
import io.gatehouse.oauth.RefreshTokenStore;
import io.gatehouse.oauth.RevocationStore;
import io.gatehouse.oauth.SpentAssertionStore;
import io.gatehouse.observability.AuditStore;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * Every storage port of one deployment: the embedded SQLite store, or the shared PostgreSQL one
 * with Redis beside it, without its callers knowing which.
 */
public interface Storage extends AutoCloseable {

  /**
   * Opens (creating and migrating as needed) the store {@code config} names: the one opener of
   * the server and the CLI. With {@code redis} (when {@code store.redis} is set), sessions,
   * refresh tokens and authorization codes live there ({@link RedisStorage}). Blocking: call it
   * off the event loop.
   *
   * @param redis the shared Redis, or null
   * @param clock the time the Redis stores count expiries from
   *
   * @throws IllegalStateException naming what could not be reached
   */
  static Storage open(Vertx vertx, Config config, RedisConnection redis, Clock clock) {
    return open(vertx, config, redis, clock, ChildSpans.NONE);
  }

  /**
   * As {@link #open(Vertx, Config, RedisConnection, Clock)}, the SQL and Redis calls a request
   * waits on traced as {@code spans} say: the server's.
   */
  static Storage open(Vertx vertx, Config config, RedisConnection redis, Clock clock, ChildSpans spans) {
    Storage durable = open(vertx, config.store(), spans);
    return redis == null ? durable : RedisStorage.over(durable, redis, config.sessions().idleTimeout(), clock, spans);
  }

  /**
   * The durable store alone, SQLite or PostgreSQL: what {@link #open(Vertx, Config, RedisConnection, Clock)}
   * opens first. Blocking: call it off the event loop.
   *
   * @throws IllegalStateException naming what could not be reached
   */
  static Storage open(Vertx vertx, StoreConfig config) {
    return open(vertx, config, ChildSpans.NONE);
  }

  private static Storage open(Vertx vertx, StoreConfig config, ChildSpans spans) {
    return config.postgres() != null ? SqlStorage.postgres(vertx, config.postgres(), spans)
        : SqlStorage.embedded(vertx, config.dataDir(), spans);
  }

  UserStore users();

  SessionStore sessions();

  SecondFactorStore secondFactors();

  PendingSignInStore pendingSignIns();

  ApiKeyStore apiKeys();

  AuditStore audit();

  SigningKeyStore signingKeys();

  ClientStore clients();

  RevocationStore revocations();

  RefreshTokenStore refreshTokens();

  AuthorizationCodeStore authorizationCodes();

  ConsentStore consents();

  SpentAssertionStore spentAssertions();

  PasskeyStore passkeys();

  /** The challenges of pending WebAuthn ceremonies: in Redis when the instances share one. */
  WebAuthnChallengeStore webAuthnChallenges();

  /** True when the store answers. Blocking: call it off the event loop. */
  boolean isUp();

  @Override
  void close();
}
