package io.gatehouse.store;

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
import io.gatehouse.config.StoreConfig;
import io.gatehouse.http.ChildSpans;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * Every storage port on one SQL {@link Database}: the embedded SQLite file in the data directory,
 * or a PostgreSQL database shared by any number of instances.
 */
public record SqlStorage(Database database, UserStore users, SessionStore sessions, ApiKeyStore apiKeys,
    AuditStore audit, SigningKeyStore signingKeys, ClientStore clients, RevocationStore revocations,
    RefreshTokenStore refreshTokens, AuthorizationCodeStore authorizationCodes, ConsentStore consents,
    SpentAssertionStore spentAssertions, SecondFactorStore secondFactors, PendingSignInStore pendingSignIns,
    PasskeyStore passkeys, WebAuthnChallengeStore webAuthnChallenges)
    implements Storage {

  /** Opens and migrates the embedded database in {@code dataDir}. Blocking: call it off the event loop. */
  public static SqlStorage embedded(Vertx vertx, Path dataDir) {
    return embedded(vertx, dataDir, ChildSpans.NONE);
  }

  /** As {@link #embedded(Vertx, Path)}, the calls a request waits on traced as {@code spans} say. */
  public static SqlStorage embedded(Vertx vertx, Path dataDir, ChildSpans spans) {
    return on(Database.openSqlite(vertx, dataDir, spans));
  }

  /**
   * Opens and migrates a PostgreSQL database. Blocking: call it off the event loop.
   *
   * @param spans where the calls a request waits on are traced
   * @throws IllegalStateException naming the server when it cannot be reached
   */
  public static SqlStorage postgres(Vertx vertx, StoreConfig.PostgresConfig postgres, ChildSpans spans) {
    return on(Database.openPostgres(vertx, postgres.url(), postgres.user(),
        postgres.password() == null ? null : postgres.password().reveal(), spans));
  }

  private static SqlStorage on(Database db) {
    return new SqlStorage(db, new SqlUserStore(db), new SqlSessionStore(db), new SqlApiKeyStore(db), new SqlAuditStore(db),
        new SqlSigningKeyStore(db), new SqlClientStore(db), new SqlRevocationStore(db),
        new SqlRefreshTokenStore(db), new SqlAuthorizationCodeStore(db), new SqlConsentStore(db),
        new SqlSpentAssertionStore(db), new SqlSecondFactorStore(db), new SqlPendingSignInStore(db),
        new SqlPasskeyStore(db), new SqlWebAuthnChallengeStore(db));
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
