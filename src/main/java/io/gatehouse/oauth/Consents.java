package io.gatehouse.oauth;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * A user's consents to third-party clients (the decision of RFC 6749 §4.1 step B, remembered): the
 * clients the user allowed, and withdrawal. Withdrawing also takes back what the client holds of the
 * user: the refresh-token families issued to it and the access tokens issued with them, so an app
 * whose access is withdrawn keeps none. Thread-safe.
 */
public final class Consents {

  private final ConsentStore consents;
  private final RefreshTokenStore refreshTokens;
  private final TokenRevocations revocations;
  private final Clock clock;

  public Consents(ConsentStore consents, RefreshTokenStore refreshTokens, TokenRevocations revocations, Clock clock) {
    this.consents = consents;
    this.refreshTokens = refreshTokens;
    this.revocations = revocations;
    this.clock = clock;
  }

  /** The clients {@code userId} allowed, with the scopes allowed to each. */
  public Future<Map<String, List<String>>> forUser(String userId) {
    return consents.forUser(userId);
  }

  /**
   * Withdraws {@code userId}'s consent to {@code clientId}: the client asks again next time, and its
   * refresh tokens and their access tokens for this user are revoked; durable when the future completes.
   *
   * @return false when there was no such consent (nothing changed)
   */
  public Future<Boolean> withdraw(String userId, String clientId) {
    return consents.revoke(userId, clientId).compose(withdrawn -> !withdrawn ? Future.succeededFuture(false)
        : refreshTokens.revokeForClient(userId, clientId, clock.instant())
            .compose(revocations::revokeIssuedWith)
            .map(true));
  }
}
