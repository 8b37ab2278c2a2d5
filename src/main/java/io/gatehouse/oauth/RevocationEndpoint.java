package io.gatehouse.oauth;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import io.gatehouse.guard.AuthKind;
import io.gatehouse.guard.JwtAuthenticator;
import io.gatehouse.guard.JwtVerifier;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.net.URI;
import java.net.URL;
import java.util.Optional;

/**
 * {@code POST /oauth2/revoke} (RFC 7009) for authenticated confidential clients: revokes one of
 * Gatehouse's access tokens issued to that client. The {@code jti} goes on the revocation list,
 * durably, before the 200; from then the guard refuses the token, cached or not. A token that is
 * invalid or expired already is answered 200 too (§2.2); one issued to another client is refused
 * with {@code unauthorized_client}. Stateless.
 */
public final class RevocationEndpoint implements Endpoint.Handler {

  private final URL endpointUrl;
  private final Clients clients;
  private final JwtVerifier verifier;
  private final TokenRevocations revocations;
  private final RefreshTokens refreshTokens;

  public RevocationEndpoint(URI issuer, Clients clients, JwtVerifier verifier, TokenRevocations revocations,
      RefreshTokens refreshTokens) {
    this.endpointUrl = OAuthHttp.endpoint(issuer, "/oauth2/revoke");
    this.clients = clients;
    this.verifier = verifier;
    this.revocations = revocations;
    this.refreshTokens = refreshTokens;
  }

  public Endpoint endpoint() {
    return Endpoint.at("oauth:revoke", "/oauth2/revoke").auth(AuthKind.NONE).on(HttpMethod.POST, this).build();
  }

  @Override
  public Future<Response> handle(Request request) {
    HTTPRequest http = OAuthHttp.request(request, endpointUrl);
    Optional<Response> repeated = OAuthHttp.repeatedParameter(http);
    if (repeated.isPresent()) {
      return Future.succeededFuture(repeated.get());
    }
    TokenRevocationRequest parsed;
    try {
      parsed = TokenRevocationRequest.parse(http);
    } catch (ParseException e) {
      return Future.succeededFuture(OAuthHttp.malformed(e));
    }
    ClientAuthentication authentication = parsed.getClientAuthentication();
    String token = parsed.getToken().getValue();
    if (authentication == null && parsed.getClientID() != null
        && FirstPartyClient.CLIENT_ID.equals(parsed.getClientID().getValue())) {
      // The built-in public client may revoke its refresh tokens (RFC 7009 §2.1 allows public clients).
      return revokeRefresh(token, FirstPartyClient.CLIENT_ID);
    }
    return clients.authenticate(authentication).compose(client -> {
      if (client.isEmpty()) {
        return Future.succeededFuture(OAuthHttp.invalidClient(authentication));
      }
      String clientId = client.get().clientId();
      if (!JwtAuthenticator.looksLikeJwt(token)) {
        return revokeRefresh(token, clientId);
      }
      return verifier.check(token).transform(checked -> {
        if (checked.failed()) {
          return Future.succeededFuture(revoked()); // invalid, expired or revoked already
        }
        if (!clientId.equals(checked.result().principal().client()) || checked.result().jti() == null) {
          return Future.succeededFuture(OAuthHttp.error(OAuth2Error.UNAUTHORIZED_CLIENT
              .setDescription("The token was not issued to this client.")));
        }
        return revocations.revoke(checked.result().jti(), checked.result().expiresAt()).map(done -> revoked());
      });
    });
  }

  /** A refresh token: its whole family goes, with the access tokens it issued. */
  private Future<Response> revokeRefresh(String token, String clientId) {
    return refreshTokens.revoke(token, clientId).map(mine -> mine ? revoked()
        : OAuthHttp.error(OAuth2Error.UNAUTHORIZED_CLIENT.setDescription("The token was not issued to this client.")));
  }

  private static Response revoked() {
    return Response.status(200).header(HttpHeaderNames.CACHE_CONTROL, "no-store").build();
  }
}
