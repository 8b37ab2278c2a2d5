package io.gatehouse.oauth;

import io.gatehouse.identity.IssuedTokens;
import io.vertx.core.Future;
import java.time.Clock;

/**
 * Ends what the OAuth server issued on an account's or a session's strength: the refresh-token
 * families in the store, and the access tokens by a cut-off of the subject or a revoked
 * {@code sid} on the revocation list (they are not stored one by one). Thread-safe.
 */
public final class GrantRevocations implements IssuedTokens {

  private final RefreshTokenStore refreshTokens;
  private final TokenRevocations revocations;
  private final Clock clock;

  public GrantRevocations(RefreshTokenStore refreshTokens, TokenRevocations revocations, Clock clock) {
    this.refreshTokens = refreshTokens;
    this.revocations = revocations;
    this.clock = clock;
  }

  @Override
  public Future<Void> revokeUser(String userId) {
    // The cut-off first, then the families: a rotation still under way stores its token where the
    // revocation finds it or sees the revocation itself, and its access token, dated after the
    // cut-off, is revoked by its jti with the families' tokens.
    return revocations.cutOff(userId).compose(cut -> refreshTokens.revokeForUser(userId, clock.instant()))
        .compose(revocations::revokeIssuedWith);
  }

  @Override
  public Future<Void> revokeSession(String sid) {
    return revocations.revokeSession(sid).compose(v -> refreshTokens.revokeForSession(sid, clock.instant()))
        .compose(revocations::revokeIssuedWith);
  }
}
