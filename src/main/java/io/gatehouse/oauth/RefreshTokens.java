package io.gatehouse.oauth;

import io.gatehouse.identity.SecretTokens;
import io.gatehouse.identity.User;
import io.gatehouse.identity.UserStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Refresh tokens with rotation (OAuth 2.0 Security BCP §4.14): 256 random bits, stored as SHA-256;
 * each exchange consumes the token (a compare-and-set, so two racing uses cannot both win) and
 * issues a new one in the same family, never beyond the family's absolute end
 * ({@code tokens.refresh_ttl} from login). A consumed token presented again means it leaked: the
 * whole family is revoked, and so are the access tokens it issued. Each exchange re-reads the user,
 * so a disabled or deleted user gets no new token and current roles. Thread-safe.
 */
public final class RefreshTokens {

  /** A new pair: the access token and the refresh token in plaintext (shown once), of family {@code familyId}. */
  public record Pair(AccessTokens.Minted access, String refreshToken, String familyId) {
  }

  private final RefreshTokenStore store;
  private final UserStore users;
  private final AccessTokens accessTokens;
  private final TokenRevocations revocations;
  private final SecretTokens secrets;
  private final String audience;
  private final Duration lifetime;
  private final Clock clock;

  /** @param audience the {@code aud} of access tokens issued to users (the gateway's own base URL) */
  public RefreshTokens(RefreshTokenStore store, UserStore users, AccessTokens accessTokens, TokenRevocations revocations,
      SecretTokens secrets, String audience, Duration lifetime, Clock clock) {
    this.store = store;
    this.users = users;
    this.accessTokens = accessTokens;
    this.revocations = revocations;
    this.secrets = secrets;
    this.audience = audience;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /** Starts a family: a first access and refresh token for {@code user} through {@code clientId}. */
  public Future<Pair> start(User user, String clientId, List<String> scopes) {
    return issue(user, clientId, scopes, UUID.randomUUID().toString(), clock.instant().plus(lifetime));
  }

  /** An access token alone, for a client that may not refresh. */
  public AccessTokens.Minted accessOnly(User user, String clientId, List<String> scopes) {
    return accessTokens.mint(user.id(), clientId, List.of(audience), scopes, user.roles());
  }

  /** Exchanges {@code presented} for a new pair; a failed future with {@link InvalidGrant} otherwise. */
  public Future<Pair> exchange(String presented, String clientId) {
    String hash = SecretTokens.sha256(presented);
    Instant now = clock.instant();
    return store.byHash(hash).compose(found -> {
      RefreshToken token = found.orElse(null);
      if (token == null || !token.clientId().equals(clientId)) {
        return refused("unknown");
      }
      if (token.revokedAt() != null) {
        return refused("revoked");
      }
      if (!token.expiresAt().isAfter(now)) {
        return refused("expired");
      }
      return store.markUsed(hash, now).compose(won -> {
        if (!won) {
          return revokeFamily(token.familyId()).compose(v -> refused("reused"));
        }
        return users.byId(token.userId()).compose(user -> user.filter(u -> !u.disabled())
            .map(u -> issue(u, clientId, token.scopes(), token.familyId(), token.expiresAt()))
            .orElseGet(() -> refused("user")));
      });
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
    return store.revokeFamily(familyId, clock.instant()).compose(family -> {
      Instant now = clock.instant();
      List<Future<Void>> access = family.stream().filter(t -> t.accessExpiresAt().isAfter(now))
          .map(t -> revocations.revoke(t.accessJti(), t.accessExpiresAt())).toList();
      return Future.all(access).mapEmpty();
    });
  }

  private Future<Pair> issue(User user, String clientId, List<String> scopes, String familyId, Instant familyEnd) {
    AccessTokens.Minted access = accessOnly(user, clientId, scopes);
    String refresh = secrets.newToken();
    Instant now = clock.instant();
    RefreshToken stored = new RefreshToken(SecretTokens.sha256(refresh), familyId, clientId, user.id(), scopes,
        access.jti(), access.expiresAt(), now, familyEnd, null, null);
    return store.insert(stored).map(done -> new Pair(access, refresh, familyId));
  }

  private static <T> Future<T> refused(String reason) {
    return Future.failedFuture(new InvalidGrant(reason));
  }
}
