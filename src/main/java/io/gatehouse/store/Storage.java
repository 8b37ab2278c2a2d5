package io.gatehouse.store;

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

/**
 * Every storage port of one deployment. The embedded SQLite store implements it today; a
 * PostgreSQL + Redis one slots in beside it without its callers changing.
 */
public interface Storage extends AutoCloseable {

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
