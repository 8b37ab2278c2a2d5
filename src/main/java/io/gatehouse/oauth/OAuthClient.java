package io.gatehouse.oauth;

import java.time.Instant;
import java.util.List;

/**
 * A registered OAuth client (RFC 6749 §2).
 *
 * @param secretHash SHA-256 of a confidential client's secret; null for a public client
 * @param grants the grant types it may use ({@code client_credentials}, {@code authorization_code}, {@code refresh_token})
 * @param scopes the scopes it may ask for
 * @param audiences the resources (RFC 8707) its tokens may be for
 * @param redirectUris exact redirect URIs, for the authorization code grant
 * @param firstParty trusted to skip the consent page
 * @param jwks the public JWK set of a client that authenticates with {@code private_key_jwt}, or null
 * @param idTokenSignedResponseAlg the JWS algorithm of its id tokens (OpenID Connect Dynamic Client
 *     Registration §2 {@code id_token_signed_response_alg}); null means the default, RS256
 */
public record OAuthClient(String clientId, String secretHash, List<String> grants, List<String> scopes,
    List<String> audiences, List<String> redirectUris, boolean firstParty, Instant createdAt, String jwks,
    String idTokenSignedResponseAlg) {

  /** The default {@code id_token_signed_response_alg} (OpenID Connect Dynamic Client Registration §2). */
  public static final String DEFAULT_ID_TOKEN_ALG = "RS256";

  public OAuthClient {
    idTokenSignedResponseAlg = idTokenSignedResponseAlg == null ? DEFAULT_ID_TOKEN_ALG : idTokenSignedResponseAlg;
    grants = List.copyOf(grants);
    scopes = List.copyOf(scopes);
    audiences = List.copyOf(audiences);
    redirectUris = List.copyOf(redirectUris);
  }

  /** No secret and no keys: it proves nothing but PKCE. */
  public boolean isPublic() {
    return secretHash == null && jwks == null;
  }
}
