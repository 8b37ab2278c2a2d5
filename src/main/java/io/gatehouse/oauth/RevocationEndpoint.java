package io.gatehouse.oauth;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import io.gatehouse.config.AuthKind;
import io.gatehouse.guard.CredentialShapes;
import io.gatehouse.guard.JwtVerifier;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.net.URI;
import java.net.URL;

/**
 * {@code POST /oauth2/revoke} (RFC 7009): revokes one of Gatehouse's access tokens or refresh
 * tokens issued to the calling client. A confidential client authenticates (RFC 6749 §2.3); a
 * public one, the built-in {@code gatehouse} client included, names itself with {@code client_id}
 * (RFC 7009 §2.1); a request that does neither is 401 {@code invalid_client}. An access token's
 * {@code jti} goes on the revocation list, durably, before the 200; from then the guard refuses the
 * token, cached or not. A refresh token's whole family goes, with the access tokens it issued. A
 * token that is invalid or expired already is answered 200 too (§2.2); one issued to another
 * client is refused with {@code unauthorized_client}: a 200 always means the token no longer works.
 * Stateless.
 */
public final class RevocationEndpoint implements Endpoint.Handler {

  private final URL endpointUrl;
  private final Clients clients;
  private final ClientAuthenticator authenticator;
  private final JwtVerifier verifier;
  private final TokenRevocations revocations;
  private final RefreshTokens refreshTokens;

  public RevocationEndpoint(URI issuer, ClientAuthenticator authenticator, JwtVerifier verifier, TokenRevocations revocations,
      RefreshTokens refreshTokens) {
    this.endpointUrl = OAuthHttp.endpoint(issuer, "/oauth2/revoke");
    this.clients = authenticator.clients();
    this.authenticator = authenticator;
    this.verifier = verifier;
    this.revocations = revocations;
    this.refreshTokens = refreshTokens;
  }

  public Endpoint endpoint() {
    return Endpoint.at("oauth:revoke", "/oauth2/revoke").auth(AuthKind.NONE).on(HttpMethod.POST, this).build();
  }

  @Override
  public Future<Response> handle(Request request) {
    if (request.header(HttpHeaderNames.AUTHORIZATION) == null && OAuthHttp.formParameter(request, "client_id") == null
        && OAuthHttp.formParameter(request, "client_assertion") == null) {
      return Future.succeededFuture(OAuthHttp.invalidClient(null)); // no client at all (RFC 7009 §2.1)
    }
    return OAuthHttp.parse(request, endpointUrl, TokenRevocationRequest::parse, parsed -> revoke(request, parsed));
  }

  private Future<Response> revoke(Request http, TokenRevocationRequest request) {
    String token = request.getToken().getValue();
    ClientAuthentication authentication = request.getClientAuthentication();
    if (FirstPartyClient.isCaller(authentication, request.getClientID())) {
      // The built-in public client may revoke what it holds (RFC 7009 §2.1 allows public clients).
      return revokeFor(FirstPartyClient.CLIENT, token);
    }
    if (authentication == null) {
      return clients.find(request.getClientID().getValue()).compose(found -> found.filter(OAuthClient::isPublic)
          .map(client -> revokeFor(client, token))
          .orElseGet(() -> Future.succeededFuture(OAuthHttp.invalidClient(null))));
    }
    return authenticator.authenticated(http, endpointUrl, authentication, client -> revokeFor(client, token));
  }

  private Future<Response> revokeFor(OAuthClient client, String token) {
    if (!CredentialShapes.isJwt(token)) {
      return revokeRefresh(token, client.clientId());
    }
    return verifier.check(token).transform(checked -> {
      if (checked.failed()) {
        return Future.succeededFuture(revoked()); // invalid, expired or revoked already
      }
      if (!client.clientId().equals(checked.result().principal().client()) || checked.result().jti() == null) {
        return Future.succeededFuture(notThisClients());
      }
      return revocations.revoke(checked.result().jti(), checked.result().expiresAt()).map(done -> revoked());
    });
  }

  /** A refresh token: its whole family goes, with the access tokens it issued. */
  private Future<Response> revokeRefresh(String token, String clientId) {
    return refreshTokens.revoke(token, clientId).map(mine -> mine ? revoked() : notThisClients());
  }

  private static Response notThisClients() {
    return OAuthHttp.error(OAuth2Error.UNAUTHORIZED_CLIENT.setDescription("The token was not issued to this client."));
  }

  private static Response revoked() {
    return Response.status(200).header(HttpHeaderNames.CACHE_CONTROL, "no-store").build();
  }
}
