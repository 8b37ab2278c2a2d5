package io.gatehouse.store;

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
import io.gatehouse.observability.AuditStore;
import io.vertx.core.Vertx;

/**
 * Every storage port of one deployment: the embedded SQLite store, or the shared PostgreSQL one,
 * without its callers knowing which.
 */
public interface Storage extends AutoCloseable {

  /**
   * Opens (creating and migrating as needed) the store {@code config} names: the one opener of
   * the server and the CLI. Blocking: call it off the event loop.
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

  /** True when the store answers. Blocking: call it off the event loop. */
  boolean isUp();

  @Override
  void close();
}
