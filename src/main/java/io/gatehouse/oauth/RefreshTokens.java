package io.gatehouse.oauth;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import io.gatehouse.identity.SecretTokens;
import io.gatehouse.identity.User;
import io.gatehouse.identity.UserStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Refresh tokens with rotation (OAuth 2.0 Security BCP §4.14): 256 random bits, stored as SHA-256;
 * each exchange consumes the token (a compare-and-set, so two racing uses cannot both win) and
 * issues a new one in the same family, never beyond the family's absolute end
 * ({@code tokens.refresh_ttl} from login). A consumed token presented again means it leaked: the
 * whole family is revoked, and so are the access tokens it issued. Each exchange re-reads the user,
 * so a disabled or deleted user gets no new token. A refresh may narrow the scopes and resources
 * of the grant, never widen them (RFC 6749 §6, RFC 8707 §2.2). Access tokens carry the user's
 * roles only for a first-party client. A family keeps how and when the user signed in for the grant
 * it came from: the tokens a refresh issues carry that {@code amr}, {@code acr} and
 * {@code auth_time}, and a refresh of an {@code openid} grant answers a new id token with them
 * (OpenID Connect Core §12.2: "its auth_time Claim [...] MUST represent the time of the original
 * authentication"). Thread-safe.
 */
public final class RefreshTokens {

  /**
   * A new pair: the access token and the refresh token in plaintext (shown once), of family
   * {@code familyId}; with a refresh of an {@code openid} grant, its new id token, else null.
   */
  public record Pair(AccessTokens.Minted access, String refreshToken, String familyId, String idToken) {

    Pair withIdToken(String idToken) {
      return new Pair(access, refreshToken, familyId, idToken);
    }
  }

  private final RefreshTokenStore store;
  private final UserStore users;
  private final AccessTokens accessTokens;
  private final IdTokens idTokens;
  private final TokenRevocations revocations;
  private final SecretTokens secrets;
  private final String audience;
  private final Duration lifetime;
  private final Clock clock;

  /** @param audience the {@code aud} of user tokens whose client named no resource ({@code tokens.audience}) */
  public RefreshTokens(RefreshTokenStore store, UserStore users, AccessTokens accessTokens, IdTokens idTokens,
      TokenRevocations revocations, SecretTokens secrets, String audience, Duration lifetime, Clock clock) {
    this.store = store;
    this.users = users;
    this.accessTokens = accessTokens;
    this.idTokens = idTokens;
    this.revocations = revocations;
    this.secrets = secrets;
    this.audience = audience;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /** The {@code aud} of a user token whose client named no resource. */
  public String defaultAudience() {
    return audience;
  }

  /** How long the access tokens issued here live. */
  Duration accessLifetime() {
    return accessTokens.lifetime();
  }

  /**
   * Starts a family: a first access and refresh token for {@code user} through {@code client}.
   *
   * @param audiences the resources asked for, or empty for the default audience
   * @param signIn the session the grant came from and how and when its user signed in, which the
   *     family records for the access tokens it issues (its nonce is not kept: that is the first id
   *     token's only); null for a grant without a session
   */
  public Future<Pair> start(User user, OAuthClient client, List<String> scopes, List<String> audiences,
      AuthorizationCode.SignIn signIn) {
    return start(user, client, scopes, audiences, signIn == null ? null : signIn.sid(), UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), signIn);
  }

  /**
   * As {@link #start(User, OAuthClient, List, List, AuthorizationCode.SignIn)}, with the family and the
   * access token named beforehand (an authorization code's exchange records them first). Fails with
   * {@link InvalidGrant} when the family was revoked before its first token was stored.
   *
   * @param sid the session the grant came from, or null
   * @param signIn how the user signed in, or null when not recorded
   */
  public Future<Pair> start(User user, OAuthClient client, List<String> scopes, List<String> audiences, String sid,
      String familyId, String accessJti, AuthorizationCode.SignIn signIn) {
    List<String> resources = orDefault(audiences);
    return issue(user, client, grant(user, client, scopes, resources, sid, signIn), accessJti, familyId,
        clock.instant().plus(lifetime), scopes, resources);
  }

  /**
   * An access token alone, for a client that may not refresh.
   *
   * @param jti its id, named beforehand
   */
  public AccessTokens.Minted accessOnly(User user, OAuthClient client, List<String> scopes, List<String> audiences,
      String sid, String jti, AuthorizationCode.SignIn signIn) {
    return accessTokens.mint(grant(user, client, scopes, orDefault(audiences), sid, signIn), jti);
  }

  /**
   * Exchanges {@code presented} for a new pair; a failed future with {@link InvalidGrant}, or
   * {@link OAuthError} for a scope or resource beyond the grant.
   *
   * @param scopes the scopes asked for, or null for those of the grant
   * @param resources the resources asked for, or empty for those of the grant
   */
  public Future<Pair> exchange(String presented, OAuthClient client, List<String> scopes, List<String> resources) {
    String hash = SecretTokens.sha256(presented);
    Instant now = clock.instant();
    return store.byHash(hash).compose(found -> {
      RefreshToken token = found.orElse(null);
      if (token == null || !token.clientId().equals(client.clientId())) {
        return refused("unknown");
      }
      if (token.revokedAt() != null) {
        return refused("revoked");
      }
      if (!token.expiresAt().isAfter(now)) {
        return refused("expired");
      }
      if (scopes != null && !token.scopes().containsAll(scopes)) {
        return Future.failedFuture(new OAuthError(OAuth2Error.INVALID_SCOPE.setDescription(
            "A refresh cannot add a scope that was not granted.")));
      }
      List<String> audiences = resources.isEmpty() ? token.audiences() : resources;
      if (!token.audiences().containsAll(audiences)) {
        return Future.failedFuture(new OAuthError(OAuth2Error.INVALID_TARGET.setDescription(
            "A refresh cannot add a resource that was not granted.")));
      }
      return store.markUsed(hash, now).compose(won -> {
        if (!won) {
          return revokeFamily(token.familyId()).compose(v -> refused("reused"));
        }
        // The original authentication's, not this refresh's (OpenID Connect Core §12.2); no nonce (§12.2:
        // "it SHOULD NOT have a nonce Claim Value").
        AuthorizationCode.SignIn signIn = new AuthorizationCode.SignIn(null, token.authTime(), token.sid(), token.amr());
        List<String> granted = scopes == null ? token.scopes() : scopes;
        return users.byId(token.userId()).compose(user -> user.filter(u -> !u.disabled())
            .map(u -> issue(u, client, grant(u, client, granted, audiences, token.sid(), signIn),
                UUID.randomUUID().toString(), token.familyId(), token.expiresAt(), token.scopes(), token.audiences())
                .map(pair -> granted.contains(IdTokens.OPENID)
                    ? pair.withIdToken(idTokens.mint(u, client, signIn, pair.access().token(), granted)) : pair))
            .orElseGet(() -> refused("user")));
      });
    });
  }

  /**
   * The live refresh token {@code presented} names, if it belongs to {@code clientId} (RFC 7662
   * introspection): unused, unrevoked and unexpired.
   */
  public Future<Optional<RefreshToken>> active(String presented, String clientId) {
    Instant now = clock.instant();
    return store.byHash(SecretTokens.sha256(presented)).compose(found -> {
      Optional<RefreshToken> live = found.filter(token -> token.clientId().equals(clientId) && token.usedAt() == null
          && token.revokedAt() == null && token.expiresAt().isAfter(now));
      return live.isEmpty() ? Future.succeededFuture(live)
          : store.isFamilyRevoked(live.get().familyId())
              .map(revoked -> revoked ? Optional.<RefreshToken>empty() : live);
    });
  }

  /** RFC 7009 for a refresh token: revokes its family when it belongs to {@code clientId}; false when it does not. */
  public Future<Boolean> revoke(String presented, String clientId) {
    return store.byHash(SecretTokens.sha256(presented)).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(true); // unknown: nothing to do (RFC 7009 §2.2)
      }
      if (!found.get().clientId().equals(clientId)) {
        return Future.succeededFuture(false);
      }
      return revokeFamily(found.get().familyId()).map(true);
    });
  }

  public Future<Integer> sweep() {
    return store.deleteExpired(clock.instant());
  }

  /** Revokes a family and the access tokens it issued (a replayed authorization code's, for one). */
  public Future<Void> revokeFamily(String familyId) {
    return store.revokeFamily(familyId, clock.instant()).compose(revocations::revokeIssuedWith);
  }

  /**
   * Mints the access token, then stores the refresh token with it; when the family turns out to be
   * revoked (a reuse or a replay that raced this), the access token is revoked too and the answer is
   * {@link InvalidGrant}.
   *
   * @param access what the new access token grants
   * @param scopes the family's scopes, which every refresh token of it keeps
   * @param audiences the family's resources, likewise
   */
  private Future<Pair> issue(User user, OAuthClient client, AccessTokens.Grant access, String accessJti,
      String familyId, Instant familyEnd, List<String> scopes, List<String> audiences) {
    AccessTokens.Minted minted = accessTokens.mint(access, accessJti);
    String refresh = secrets.newToken();
    Instant now = clock.instant();
    AuthorizationCode.SignIn signIn = access.signIn();
    RefreshToken stored = new RefreshToken(SecretTokens.sha256(refresh), familyId, client.clientId(), user.id(),
        scopes, minted.jti(), minted.expiresAt(), now, familyEnd, null, null, access.sid(), audiences,
        signIn == null ? List.of() : signIn.amr(), signIn == null ? null : signIn.authTime());
    return store.insert(stored).compose(live -> live ? Future.succeededFuture(new Pair(minted, refresh, familyId, null))
        : revocations.revoke(minted.jti(), minted.expiresAt()).compose(v -> refused("revoked")));
  }

  /**
   * What a token of {@code user} through {@code client} grants. The user's roles go only to a
   * first-party client: a third party's token carries the scopes granted, no more.
   */
  private static AccessTokens.Grant grant(User user, OAuthClient client, List<String> scopes, List<String> audiences,
      String sid, AuthorizationCode.SignIn signIn) {
    return new AccessTokens.Grant(user.id(), client.clientId(), audiences, scopes,
        client.firstParty() ? user.roles() : List.of(), sid, signIn);
  }

  private List<String> orDefault(List<String> audiences) {
    return audiences.isEmpty() ? List.of(audience) : audiences;
  }

  private static <T> Future<T> refused(String reason) {
    return Future.failedFuture(new InvalidGrant(reason));
  }
}
