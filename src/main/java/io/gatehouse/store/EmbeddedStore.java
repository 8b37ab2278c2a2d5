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
import io.vertx.core.Vertx;
import java.nio.file.Path;

/** Every storage port on the embedded SQLite database in the data directory. */
public record EmbeddedStore(Database database, UserStore users, SessionStore sessions, ApiKeyStore apiKeys,
    AuditStore audit, SigningKeyStore signingKeys, ClientStore clients, RevocationStore revocations,
    RefreshTokenStore refreshTokens, AuthorizationCodeStore authorizationCodes, ConsentStore consents)
    implements Storage {

  /** Opens and migrates the database. Blocking: call it off the event loop. */
  public static EmbeddedStore open(Vertx vertx, Path dataDir) {
    Database db = Database.openSqlite(vertx, dataDir);
    return new EmbeddedStore(db, new SqlUserStore(db), new SqlSessionStore(db), new SqlApiKeyStore(db), new SqlAuditStore(db),
        new SqlSigningKeyStore(db), new SqlClientStore(db), new SqlRevocationStore(db),
        new SqlRefreshTokenStore(db), new SqlAuthorizationCodeStore(db), new SqlConsentStore(db));
  }

  @Override
  public boolean isUp() {
    return database.isUp();
  }

  @Override
  public void close() {
    database.close();
  }
}
