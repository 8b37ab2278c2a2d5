package io.gatehouse.oauth.web;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import io.gatehouse.config.AuthKind;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.gatehouse.oauth.AccessTokens;
import io.gatehouse.oauth.AuthorizationCodes;
import io.gatehouse.oauth.Clients;
import io.gatehouse.oauth.FirstPartyClient;
import io.gatehouse.oauth.OAuthClient;
import io.gatehouse.oauth.OAuthError;
import io.gatehouse.oauth.RefreshTokens;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /oauth2/token} (RFC 6749 §3.2): the {@code client_credentials} grant (§4.4) for
 * confidential clients authenticated by {@code client_secret_basic}, {@code client_secret_post}
 * (§2.3.1) or {@code private_key_jwt} (RFC 7523), with optional {@code scope} (a subset of the
 * client's; all of them when absent) and RFC 8707 {@code resource} (among the client's audiences);
 * the {@code authorization_code} grant (§4.1.3, see {@link AuthorizationCodes}); and the
 * {@code refresh_token} grant (§6, rotating, narrowing only: see {@link RefreshTokens}) for clients
 * allowed it and for the built-in first-party client ({@code client_id=gatehouse}, public). Any
 * other {@code grant_type} is {@code unsupported_grant_type}. The client is authenticated by the
 * guard ({@link ClientAuthenticator}: a confidential client's proof, or a public client's
 * {@code client_id}), which reads the body first; a request that proves no client is 401
 * {@code invalid_client} before this endpoint runs. The request is parsed by the Nimbus OAuth 2.0
 * SDK; every refusal is an {@link OAuthError}, answered as RFC 6749 §5.2 JSON with
 * {@code Cache-Control: no-store} ({@link OAuthErrors}). Stateless.
 */
public final class TokenEndpoint implements Endpoint.Handler {

  private final URL endpointUrl;
  private final AccessTokens tokens;
  private final RefreshTokens refreshTokens;
  private final AuthorizationCodes codes;

  public TokenEndpoint(URI issuer, AccessTokens tokens, RefreshTokens refreshTokens, AuthorizationCodes codes) {
    this.tokens = tokens;
    this.refreshTokens = refreshTokens;
    this.codes = codes;
    this.endpointUrl = OAuthHttp.endpoint(issuer, "/oauth2/token");
  }

  public Endpoint endpoint() {
    return Endpoint.at("oauth:token", "/oauth2/token").auth(AuthKind.OAUTH_CLIENT, AuthKind.OAUTH_PUBLIC_CLIENT)
        .problems(OAuthErrors.FORMAT).on(HttpMethod.POST, this).build();
  }

  /** The grants this endpoint knows (RFC 6749 §5.2: any other is {@code unsupported_grant_type}). */
  private static final Set<String> GRANT_TYPES = Set.of(Clients.AUTHORIZATION_CODE, Clients.CLIENT_CREDENTIALS,
      Clients.REFRESH_TOKEN);

  @Override
  public Future<Response> handle(Request request) {
    // Before the SDK parses: it knows grants (password, device code, JWT bearer) that Gatehouse does not
    // offer, and would refuse their messages as malformed rather than as unsupported.
    String grantType = OAuthHttp.formParameter(request, "grant_type");
    if (grantType != null && !GRANT_TYPES.contains(grantType)) {
      return OAuthErrors.refuse(OAuth2Error.UNSUPPORTED_GRANT_TYPE.setDescription("The grant type is not supported."));
    }
    return grant(ClientAuthenticator.client(request.principal()),
        OAuthHttp.parse(request, endpointUrl, TokenRequest::parse));
  }

  /**
   * @param client the client the guard admitted, a public one with nothing proved but its
   *     {@code client_id} (it has its PKCE verifier or refresh token to prove)
   */
  private Future<Response> grant(OAuthClient client, TokenRequest request) {
    AuthorizationGrant grant = request.getAuthorizationGrant();
    if (client == FirstPartyClient.CLIENT && !(grant instanceof RefreshTokenGrant)) {
      // The built-in public client: only ever refreshes what a login gave it.
      return OAuthErrors.refuse(OAuth2Error.UNAUTHORIZED_CLIENT);
    }
    if (grant instanceof AuthorizationCodeGrant code) {
      return authorizationCode(client, code, request);
    }
    if (grant instanceof ClientCredentialsGrant && !client.isPublic()) {
      return Future.succeededFuture(clientCredentials(client, request));
    }
    if (grant instanceof RefreshTokenGrant refresh) {
      return client.grants().contains(Clients.REFRESH_TOKEN)
          ? refresh(client, refresh, request)
          : OAuthErrors.refuse(OAuth2Error.UNAUTHORIZED_CLIENT);
    }
    return OAuthErrors.refuse(OAuth2Error.UNSUPPORTED_GRANT_TYPE);
  }

  /** RFC 6749 §4.1.3 with RFC 7636: a code for tokens, once. */
  private Future<Response> authorizationCode(OAuthClient client, AuthorizationCodeGrant grant, TokenRequest request) {
    if (!client.grants().contains(Clients.AUTHORIZATION_CODE)) {
      return OAuthErrors.refuse(OAuth2Error.UNAUTHORIZED_CLIENT);
    }
    String redirectUri = grant.getRedirectionURI() == null ? "" : grant.getRedirectionURI().toString();
    String verifier = grant.getCodeVerifier() == null ? null : grant.getCodeVerifier().getValue();
    return codes.exchange(grant.getAuthorizationCode().getValue(), client, redirectUri, verifier, resources(request))
        .map(exchanged -> tokenResponse(exchanged.access(), exchanged.refreshToken(), exchanged.idToken()));
  }

  /** The RFC 6749 §5.1 answer, with the OpenID Connect {@code id_token} when there is one. */
  private static Response tokenResponse(AccessTokens.Minted access, String refreshToken, String idToken) {
    List<String> scopes = access.scopes();
    BearerAccessToken bearer = new BearerAccessToken(access.token(), access.lifetime().toSeconds(),
        scopes.isEmpty() ? null : Scope.parse(scopes));
    Tokens tokens = new Tokens(bearer,
        refreshToken == null ? null : new com.nimbusds.oauth2.sdk.token.RefreshToken(refreshToken));
    Map<String, Object> extra = idToken == null ? Map.of() : Map.of("id_token", idToken);
    return OAuthHttp.response(new AccessTokenResponse(tokens, extra).toHTTPResponse());
  }

  /**
   * RFC 6749 §6 with rotation: a new access token and a new refresh token, and a new id token when
   * {@code openid} is among the scopes (OpenID Connect Core §12.2); a scope or resource beyond the
   * grant is {@code invalid_scope} or {@code invalid_target}, any other refusal {@code invalid_grant}.
   */
  private Future<Response> refresh(OAuthClient client, RefreshTokenGrant grant, TokenRequest request) {
    List<String> scopes = request.getScope() == null ? null : request.getScope().toStringList();
    return refreshTokens.exchange(grant.getRefreshToken().getValue(), client, scopes, resources(request))
        .map(pair -> tokenResponse(pair.access(), pair.refreshToken(), pair.idToken()));
  }

  private Response clientCredentials(OAuthClient client, TokenRequest request) {
    if (!client.grants().contains(Clients.CLIENT_CREDENTIALS)) {
      throw new OAuthError(OAuth2Error.UNAUTHORIZED_CLIENT);
    }
    List<String> scopes = request.getScope() == null ? client.scopes() : request.getScope().toStringList();
    if (!client.scopes().containsAll(scopes)) {
      throw new OAuthError(OAuth2Error.INVALID_SCOPE);
    }
    List<String> audiences = resources(request);
    if (!audiences.isEmpty() && !client.audiences().containsAll(audiences)) {
      throw new OAuthError(OAuth2Error.INVALID_TARGET);
    }
    if (audiences.isEmpty()) {
      // A service client's registered resources are its default; one with none gets the default audience.
      audiences = client.audiences().isEmpty() ? List.of(refreshTokens.defaultAudience()) : client.audiences();
    }
    return tokenResponse(tokens.mint(new AccessTokens.Grant(client.clientId(), client.clientId(), audiences, scopes,
        List.of(), null)), null, null);
  }

  /** RFC 8707 {@code resource} values, empty when none was given. */
  private static List<String> resources(TokenRequest request) {
    List<String> resources = new ArrayList<>();
    if (request.getResources() != null) {
      request.getResources().forEach(resource -> resources.add(resource.toString()));
    }
    return resources;
  }
}
