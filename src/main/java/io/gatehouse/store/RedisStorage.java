package io.gatehouse.store;

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
import java.time.Clock;
import java.time.Duration;

/**
 * The storage of instances that share a Redis ({@code store.redis}): sessions, refresh-token
 * families, authorization codes and WebAuthn challenges live in Redis, expiring by themselves, read and changed
 * atomically by whichever instance a request reaches, and refused with 503 while Redis is down.
 * What must outlive Redis stays in the durable store: users, clients, API keys, signing keys,
 * consents, the audit trail, and the revocation list, whose loss (Redis keeps nothing on disk
 * unless told to) would let revoked tokens through again.
 */
record RedisStorage(Storage durable, FailClosedRedis redis, SessionStore sessions, RefreshTokenStore refreshTokens,
    AuthorizationCodeStore authorizationCodes, WebAuthnChallengeStore webAuthnChallenges) implements Storage {

  /**
   * @param idleTimeout how long a session lasts unused, after which Redis drops it
   * @param clock the time expiries are counted from (the server's)
   */
  static RedisStorage over(Storage durable, RedisConnection connection, Duration idleTimeout, Clock clock) {
    return over(durable, connection, idleTimeout, clock, ChildSpans.NONE);
  }

  /**
   * As {@link #over(Storage, RedisConnection, Duration, Clock)}, the calls a request waits on
   * traced as {@code spans} say.
   */
  static RedisStorage over(Storage durable, RedisConnection connection, Duration idleTimeout, Clock clock,
      ChildSpans spans) {
    FailClosedRedis redis = new FailClosedRedis(new RedisPipeline(connection::connect, spans), connection.registry());
    String prefix = connection.prefix();
    return new RedisStorage(durable, redis, new RedisSessionStore(redis, prefix, idleTimeout, clock),
        new RedisRefreshTokenStore(redis, prefix, clock), new RedisAuthorizationCodeStore(redis, prefix, clock),
        new RedisWebAuthnChallengeStore(redis, prefix, clock));
  }

  @Override
  public UserStore users() {
    return durable.users();
  }

  /** Second factors and half-done sign-ins are durable: in the SQL store that every instance shares. */
  @Override
  public SecondFactorStore secondFactors() {
    return durable.secondFactors();
  }

  @Override
  public PendingSignInStore pendingSignIns() {
    return durable.pendingSignIns();
  }

  @Override
  public ApiKeyStore apiKeys() {
    return durable.apiKeys();
  }

  @Override
  public AuditStore audit() {
    return durable.audit();
  }

  @Override
  public SigningKeyStore signingKeys() {
    return durable.signingKeys();
  }

  @Override
  public ClientStore clients() {
    return durable.clients();
  }

  @Override
  public RevocationStore revocations() {
    return durable.revocations();
  }

  @Override
  public SpentAssertionStore spentAssertions() {
    return durable.spentAssertions();
  }

  @Override
  public PasskeyStore passkeys() {
    return durable.passkeys();
  }

  @Override
  public ConsentStore consents() {
    return durable.consents();
  }

  /** Whether the durable store answers; Redis has its own readiness check. */
  @Override
  public boolean isUp() {
    return durable.isUp();
  }

  /** Closes the durable store and this storage's Redis connection (not the shared {@link RedisConnection}). */
  @Override
  public void close() {
    redis.close();
    durable.close();
  }
}
