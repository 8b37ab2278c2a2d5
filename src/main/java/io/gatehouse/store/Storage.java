package io.gatehouse.store;

import io.gatehouse.config.Config;
import io.gatehouse.config.StoreConfig;
import io.gatehouse.identity.ApiKeyStore;
import io.gatehouse.identity.SessionStore;
import io.gatehouse.identity.UserStore;
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
    Storage durable = open(vertx, config.store());
    return redis == null ? durable : RedisStorage.over(durable, redis, config.sessions().idleTimeout(), clock);
  }

  /**
   * The durable store alone, SQLite or PostgreSQL: what {@link #open(Vertx, Config, RedisConnection, Clock)}
   * opens first. Blocking: call it off the event loop.
   *
   * @throws IllegalStateException naming what could not be reached
   */
  static Storage open(Vertx vertx, StoreConfig config) {
    return config.postgres() != null ? SqlStorage.postgres(vertx, config.postgres())
        : SqlStorage.embedded(vertx, config.dataDir());
  }

  UserStore users();

  SessionStore sessions();

  ApiKeyStore apiKeys();

  AuditStore audit();

  SigningKeyStore signingKeys();

  ClientStore clients();

  RevocationStore revocations();

  RefreshTokenStore refreshTokens();

  AuthorizationCodeStore authorizationCodes();

  ConsentStore consents();

  SpentAssertionStore spentAssertions();

  /** True when the store answers. Blocking: call it off the event loop. */
  boolean isUp();

  @Override
  void close();
}
