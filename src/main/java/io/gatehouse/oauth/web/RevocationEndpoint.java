package io.gatehouse.oauth.web;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import io.gatehouse.config.AuthKind;
import io.gatehouse.guard.CredentialShapes;
import io.gatehouse.guard.JwtVerifier;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.gatehouse.oauth.OAuthClient;
import io.gatehouse.oauth.RefreshTokens;
import io.gatehouse.oauth.TokenRevocations;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.net.URI;
import java.net.URL;

/**
 * {@code POST /oauth2/revoke} (RFC 7009): revokes one of Gatehouse's access tokens or refresh
 * tokens issued to the calling client. A confidential client authenticates (RFC 6749 §2.3); a
 * public one, the built-in {@code gatehouse} client included, names itself with {@code client_id}
 * (RFC 7009 §2.1); the guard admits either ({@link ClientAuthenticator}), and a request that does
 * neither is 401 {@code invalid_client} before this endpoint runs. An access token's
 * {@code jti} goes on the revocation list, durably, before the 200; from then the guard refuses the
 * token, cached or not. A refresh token's whole family goes, with the access tokens it issued. A
 * token that is invalid or expired already is answered 200 too (§2.2); one issued to another
 * client is refused with {@code unauthorized_client}: a 200 always means the token no longer works.
 * Stateless.
 */
public final class RevocationEndpoint implements Endpoint.Handler {

  private final URL endpointUrl;
  private final JwtVerifier verifier;
  private final TokenRevocations revocations;
  private final RefreshTokens refreshTokens;

  public RevocationEndpoint(URI issuer, JwtVerifier verifier, TokenRevocations revocations,
      RefreshTokens refreshTokens) {
    this.endpointUrl = OAuthHttp.endpoint(issuer, "/oauth2/revoke");
    this.verifier = verifier;
    this.revocations = revocations;
    this.refreshTokens = refreshTokens;
  }

  public Endpoint endpoint() {
    return Endpoint.at("oauth:revoke", "/oauth2/revoke").auth(AuthKind.OAUTH_CLIENT, AuthKind.OAUTH_PUBLIC_CLIENT)
        .problems(OAuthErrors.FORMAT).on(HttpMethod.POST, this).build();
  }

  @Override
  public Future<Response> handle(Request request) {
    TokenRevocationRequest parsed = OAuthHttp.parse(request, endpointUrl, TokenRevocationRequest::parse);
    return revokeFor(ClientAuthenticator.client(request.principal()), parsed.getToken().getValue());
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
        return notThisClients();
      }
      return revocations.revoke(checked.result().jti(), checked.result().expiresAt()).map(done -> revoked());
    });
  }

  /** A refresh token: its whole family goes, with the access tokens it issued. */
  private Future<Response> revokeRefresh(String token, String clientId) {
    return refreshTokens.revoke(token, clientId).compose(mine -> mine ? Future.succeededFuture(revoked())
        : notThisClients());
  }

  private static Future<Response> notThisClients() {
    return OAuthErrors.refuse(OAuth2Error.UNAUTHORIZED_CLIENT.setDescription("The token was not issued to this client."));
  }

  private static Response revoked() {
    return Response.status(200).header(HttpHeaderNames.CACHE_CONTROL, "no-store").build();
  }
}
