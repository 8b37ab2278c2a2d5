package io.gatehouse.oauth;

import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.auth.PlainClientSecret;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import io.gatehouse.config.ScopeToken;
import io.gatehouse.identity.InvalidFieldException;
import io.gatehouse.identity.SecretTokens;
import io.vertx.core.Future;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * OAuth client registration and authentication, shared by the CLI, the admin API and the token
 * endpoint. A confidential client's secret is 256 random bits, shown once and stored as its
 * SHA-256: a secret that strong needs no slow hash, so authenticating costs a lookup and a hash
 * and the token endpoint can serve thousands of requests per second. Thread-safe.
 */
public final class Clients {

  public static final String CLIENT_CREDENTIALS = "client_credentials";
  public static final String AUTHORIZATION_CODE = "authorization_code";
  public static final String REFRESH_TOKEN = "refresh_token";
  static final Set<String> GRANTS = Set.of(CLIENT_CREDENTIALS, AUTHORIZATION_CODE, REFRESH_TOKEN);

  /** A registered client and, for a confidential one, its secret in plaintext (shown once). */
  public record Created(OAuthClient client, String secret) {
  }

  private final ClientStore store;
  private final SecretTokens tokens;
  private final Clock clock;
  private final ClientAssertions assertions;
  private final List<String> idTokenAlgorithms;

  /**
   * @param issuer this server's issuer, the audience of {@code private_key_jwt} assertions
   * @param idTokenAlgorithms the algorithms Gatehouse signs with, which a client may register as its
   *     {@code id_token_signed_response_alg} ({@code TokensConfig.signingAlgorithms()})
   * @param spent where used assertions are remembered, shared by every instance
   */
  public Clients(ClientStore store, SecretTokens tokens, Clock clock, URI issuer, List<String> idTokenAlgorithms,
      SpentAssertionStore spent) {
    this.store = store;
    this.tokens = tokens;
    this.clock = clock;
    this.assertions = new ClientAssertions(issuer, spent, clock);
    this.idTokenAlgorithms = List.copyOf(idTokenAlgorithms);
  }

  /**
   * Registers a client. Failures: {@link InvalidFieldException} naming the field,
   * {@link ClientIdTakenException}.
   */
  public Future<Created> create(String clientId, List<String> grants, List<String> scopes, List<String> audiences,
      List<String> redirectUris, boolean isPublic, boolean firstParty) {
    return create(clientId, grants, scopes, audiences, redirectUris, isPublic, firstParty, null, null);
  }

  /**
   * @param jwks a JWK set of public keys for {@code private_key_jwt} instead of a secret, or null
   * @param idTokenSignedResponseAlg the algorithm of its id tokens, one Gatehouse signs with; null for RS256
   */
  public Future<Created> create(String clientId, List<String> grants, List<String> scopes, List<String> audiences,
      List<String> redirectUris, boolean isPublic, boolean firstParty, String jwks, String idTokenSignedResponseAlg) {
    String keys;
    try {
      if (clientId == null || !clientId.matches("[A-Za-z0-9_.:-]{1,64}")) {
        throw new InvalidFieldException("client_id", "must be 1-64 of A-Z a-z 0-9 _ . : -");
      }
      for (String grant : grants) {
        if (!GRANTS.contains(grant)) {
          throw new InvalidFieldException("grants", "must be among authorization_code, client_credentials, refresh_token");
        }
      }
      if (isPublic && grants.contains(CLIENT_CREDENTIALS)) {
        throw new InvalidFieldException("grants", "client_credentials needs a confidential client");
      }
      for (String scope : scopes) {
        if (!ScopeToken.isValid(scope)) {
          throw new InvalidFieldException("scopes", "must hold RFC 6749 scope tokens");
        }
      }
      for (String audience : audiences) {
        if (!ScopeToken.isValid(audience)) {
          throw new InvalidFieldException("audiences", "must hold URIs or names without spaces");
        }
      }
      for (String uri : redirectUris) {
        checkRedirectUri(uri);
      }
      if (grants.contains(AUTHORIZATION_CODE) && redirectUris.isEmpty()) {
        throw new InvalidFieldException("redirect_uris", "are required for authorization_code");
      }
      keys = jwks == null ? null : publicKeys(jwks, isPublic);
      if (idTokenSignedResponseAlg != null && !idTokenAlgorithms.contains(idTokenSignedResponseAlg)) {
        throw new InvalidFieldException("id_token_signed_response_alg",
            "must be one of " + String.join(", ", idTokenAlgorithms));
      }
    } catch (InvalidFieldException e) {
      return Future.failedFuture(e);
    }
    String secret = isPublic || keys != null ? null : tokens.newToken();
    OAuthClient client = new OAuthClient(clientId, secret == null ? null : SecretTokens.sha256(secret), grants, scopes,
        audiences, redirectUris, firstParty, clock.instant(), keys, idTokenSignedResponseAlg);
    return store.insert(client).map(done -> new Created(client, secret));
  }

  /**
   * The confidential client a request's {@code client_secret_basic}, {@code client_secret_post} or
   * {@code private_key_jwt} credentials prove, or empty (none, another method, unknown, public, the
   * wrong secret, or an assertion refused or replayed).
   *
   * @param endpoint the URL the request was sent to, which an assertion may name as its audience
   */
  public Future<Optional<OAuthClient>> authenticate(ClientAuthentication authentication, URL endpoint) {
    if (authentication instanceof PrivateKeyJWT assertion) {
      return store.byId(assertion.getClientID().getValue()).compose(found -> found.isEmpty()
          ? Future.succeededFuture(Optional.<OAuthClient>empty())
          : assertions.verify(assertion, found.get(), endpoint).map(proved -> proved ? found : Optional.empty()));
    }
    if (!(authentication instanceof PlainClientSecret secret)) {
      return Future.succeededFuture(Optional.empty());
    }
    return authenticate(secret.getClientID().getValue(), secret.getClientSecret().getValue());
  }

  /** The confidential client these credentials prove, or empty (unknown, public, or the wrong secret). */
  public Future<Optional<OAuthClient>> authenticate(String clientId, String secret) {
    return store.byId(clientId).map(found -> found.filter(client -> !client.isPublic()
        && SecretTokens.equal(client.secretHash(), SecretTokens.sha256(secret))));
  }

  /** Whether {@code clientId} names a first-party client: the built-in one, or one registered {@code first_party}. */
  public Future<Boolean> isFirstParty(String clientId) {
    if (FirstPartyClient.CLIENT_ID.equals(clientId)) {
      return Future.succeededFuture(true);
    }
    return store.byId(clientId).map(found -> found.map(OAuthClient::firstParty).orElse(false));
  }

  /** A registered client by id, whatever its type. */
  public Future<Optional<OAuthClient>> find(String clientId) {
    return store.byId(clientId);
  }

  public Future<List<OAuthClient>> list() {
    return store.list();
  }

  public Future<Boolean> remove(String clientId) {
    return store.delete(clientId);
  }

  /** A JWK set of public signing keys with ids, in canonical JSON; private parts are refused, not dropped. */
  private static String publicKeys(String jwks, boolean isPublic) {
    if (isPublic) {
      throw new InvalidFieldException("jwks", "cannot be combined with a public client");
    }
    try {
      JWKSet set = JWKSet.parse(jwks);
      if (set.isEmpty() || set.getKeys().stream().anyMatch(k -> k.isPrivate() || k.getKeyID() == null
          || !(k instanceof com.nimbusds.jose.jwk.AsymmetricJWK))) {
        throw new InvalidFieldException("jwks", "must hold public keys only, each with a kid");
      }
      return set.toString(true);
    } catch (java.text.ParseException e) {
      throw new InvalidFieldException("jwks", "must be a JWK set (RFC 7517)");
    }
  }

  /** RFC 6749 §3.1.2 and RFC 8252 §7.3: absolute, no fragment; https, or http only to a loopback address. */
  private static void checkRedirectUri(String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme();
      boolean loopback = "http".equals(scheme) && ("127.0.0.1".equals(uri.getHost()) || "[::1]".equals(uri.getHost())
          || "localhost".equals(uri.getHost()));
      if (!uri.isAbsolute() || uri.getRawFragment() != null || uri.getHost() == null || uri.getRawUserInfo() != null
          || !("https".equals(scheme) || loopback)) {
        throw new InvalidFieldException("redirect_uris", "must be absolute https URLs (http only to a loopback address), "
            + "without user info or a fragment");
      }
    } catch (URISyntaxException e) {
      throw new InvalidFieldException("redirect_uris", "must be absolute URLs");
    }
  }
}
