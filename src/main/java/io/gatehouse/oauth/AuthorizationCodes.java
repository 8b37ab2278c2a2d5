package io.gatehouse.oauth;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
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
 * Authorization codes (RFC 6749 §4.1): 256 random bits, stored as SHA-256, valid for
 * {@value #LIFETIME_SECONDS} s and exchanged once (a compare-and-set). The exchange checks the
 * client, the exact redirect URI and the PKCE verifier (RFC 7636, S256 only; required for public
 * clients). A code presented a second time revokes what its first exchange issued, however the two
 * interleave: the exchange names what it will issue when it marks the code used, and looks for a
 * replay's mark once it is stored; the replay marks the code, then revokes. Thread-safe.
 */
public final class AuthorizationCodes {

  static final long LIFETIME_SECONDS = 60;
  /** How long a code is kept past its expiry, so that a late replay still revokes what it got. */
  public static final Duration REPLAY_WINDOW = Duration.ofHours(1);

  /**
   * What an exchange answers: an access token, a refresh token for a client allowed to refresh
   * (else null), and an id token when {@code openid} was granted (else null).
   */
  public record Exchanged(AccessTokens.Minted access, String refreshToken, String idToken) {
  }

  private final AuthorizationCodeStore store;
  private final ConsentStore consents;
  private final UserStore users;
  private final RefreshTokens refreshTokens;
  private final TokenRevocations revocations;
  private final SecretTokens secrets;
  private final IdTokens idTokens;
  private final Clock clock;

  /** @param consents what users allowed third-party clients: a code is worth nothing once its consent is withdrawn */
  public AuthorizationCodes(AuthorizationCodeStore store, ConsentStore consents, UserStore users,
      RefreshTokens refreshTokens, TokenRevocations revocations, SecretTokens secrets, IdTokens idTokens, Clock clock) {
    this.store = store;
    this.consents = consents;
    this.users = users;
    this.refreshTokens = refreshTokens;
    this.revocations = revocations;
    this.secrets = secrets;
    this.idTokens = idTokens;
    this.clock = clock;
  }

  /** A new code for {@code user} through {@code client}; the plaintext goes to the redirect URI only. */
  public Future<String> issue(OAuthClient client, User user, String redirectUri, List<String> scopes,
      String codeChallenge, AuthorizationCode.SignIn signIn) {
    String code = secrets.newToken();
    Instant now = clock.instant();
    AuthorizationCode stored = new AuthorizationCode(SecretTokens.sha256(code), client.clientId(), user.id(), redirectUri,
        scopes, codeChallenge, now, now.plus(Duration.ofSeconds(LIFETIME_SECONDS)), null, null, null, null, signIn);
    return store.insert(stored).map(done -> code);
  }

  /**
   * Exchanges a code for tokens; a failed future with {@link InvalidGrant} for anything
   * wrong (the token endpoint answers {@code invalid_grant}).
   *
   * @param codeVerifier the PKCE verifier, or null
   * @param resources the resources (RFC 8707) asked for: among the client's audiences, or the default
   *     audience; empty for the default audience
   */
  public Future<Exchanged> exchange(String code, OAuthClient client, String redirectUri, String codeVerifier,
      List<String> resources) {
    for (String resource : resources) {
      if (!client.audiences().contains(resource) && !resource.equals(refreshTokens.defaultAudience())) {
        return Future.failedFuture(new OAuthError(OAuth2Error.INVALID_TARGET));
      }
    }
    String hash = SecretTokens.sha256(code);
    Instant now = clock.instant();
    return store.byHash(hash).compose(found -> {
      AuthorizationCode stored = found.orElse(null);
      if (stored == null || !stored.clientId().equals(client.clientId()) || !stored.redirectUri().equals(redirectUri)) {
        return refused("mismatch");
      }
      if (!pkceHolds(stored.codeChallenge(), codeVerifier)) {
        return refused("pkce");
      }
      // What the exchange issues is named before the code is marked used, with the mark: a replay
      // arriving at any moment after it finds what to revoke.
      AuthorizationCodeStore.Issued issued = new AuthorizationCodeStore.Issued(UUID.randomUUID().toString(),
          now.plus(refreshTokens.accessLifetime()),
          client.grants().contains(Clients.REFRESH_TOKEN) ? UUID.randomUUID().toString() : null);
      return store.markUsed(hash, now, issued).compose(won -> {
        if (!won) {
          return store.replayed(hash, now).compose(used -> revokeIssued(used.map(AuthorizationCodes::issued)
              .orElse(null))).compose(v -> refused("replayed"));
        }
        if (!stored.expiresAt().isAfter(now)) {
          return refused("expired");
        }
        return users.byId(stored.userId()).compose(user -> user.filter(u -> !u.disabled())
            .map(u -> tokens(stored, client, u, resources, issued))
            .orElseGet(() -> refused("user")))
            // A replay that marked the code while these tokens were issued may have found nothing to
            // revoke yet: look for its mark now that they are stored, and revoke them if it is there.
            .compose(exchanged -> store.isReplayed(hash).compose(replayed -> replayed
                ? revokeIssued(issued).compose(v -> refused("replayed")) : Future.succeededFuture(exchanged)))
            // Likewise for a consent withdrawn since the code was issued: looked for once the tokens are
            // stored, so that a withdrawal either is seen here or comes after them and revokes them itself.
            .compose(exchanged -> stillAllowed(stored, client).compose(allowed -> allowed
                ? Future.succeededFuture(exchanged) : revokeIssued(issued).compose(v -> refused("consent_withdrawn"))));
      });
    });
  }

  /** Removes codes past their expiry and {@link #REPLAY_WINDOW}. */
  public Future<Integer> sweep() {
    return store.deleteExpired(clock.instant().minus(REPLAY_WINDOW));
  }

  private Future<Exchanged> tokens(AuthorizationCode code, OAuthClient client, User user, List<String> resources,
      AuthorizationCodeStore.Issued issued) {
    String sid = code.signIn() == null ? null : code.signIn().sid();
    if (issued.refreshFamily() != null) {
      return refreshTokens.start(user, client, code.scopes(), resources, sid, issued.refreshFamily(),
          issued.accessJti(), code.signIn()).map(pair ->
          new Exchanged(pair.access(), pair.refreshToken(), idToken(code, client, user, pair.access())));
    }
    AccessTokens.Minted access = refreshTokens.accessOnly(user, client, code.scopes(), resources, sid,
        issued.accessJti(), code.signIn());
    return Future.succeededFuture(new Exchanged(access, null, idToken(code, client, user, access)));
  }

  private String idToken(AuthorizationCode code, OAuthClient client, User user, AccessTokens.Minted access) {
    return code.scopes().contains(IdTokens.OPENID)
        ? idTokens.mint(user, client, code.signIn(), access.token(), code.scopes()) : null;
  }

  private static AuthorizationCodeStore.Issued issued(AuthorizationCode code) {
    return new AuthorizationCodeStore.Issued(code.accessJti(), code.accessExpiresAt(), code.refreshFamily());
  }

  /** Revokes what the first exchange of a code issues: its access token, and its refresh family (stored yet or not). */
  /** Whether the user still allows {@code client} what the code grants (a first-party client needs no consent). */
  private Future<Boolean> stillAllowed(AuthorizationCode code, OAuthClient client) {
    return client.firstParty() ? Future.succeededFuture(true)
        : consents.granted(code.userId(), client.clientId())
            .map(granted -> granted.isPresent() && granted.get().containsAll(code.scopes()));
  }

  private Future<Void> revokeIssued(AuthorizationCodeStore.Issued issued) {
    if (issued == null) {
      return Future.succeededFuture();
    }
    Future<Void> access = issued.accessJti() == null || issued.accessExpiresAt() == null ? Future.succeededFuture()
        : revocations.revoke(issued.accessJti(), issued.accessExpiresAt());
    return access.compose(v -> issued.refreshFamily() == null ? Future.succeededFuture()
        : refreshTokens.revokeFamily(issued.refreshFamily()));
  }

  /** RFC 7636 §4.6 with S256; a code issued without a challenge takes no verifier. */
  static boolean pkceHolds(String challenge, String verifier) {
    if (challenge == null) {
      return verifier == null;
    }
    if (verifier == null) {
      return false;
    }
    try {
      String computed = CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue();
      return SecretTokens.equal(computed, challenge);
    } catch (IllegalArgumentException e) {
      return false; // a verifier of the wrong length or characters
    }
  }

  private static <T> Future<T> refused(String reason) {
    return Future.failedFuture(new InvalidGrant(reason));
  }
}
