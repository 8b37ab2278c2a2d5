package io.gatehouse.oauth.web;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import io.gatehouse.config.AuthKind;
import io.gatehouse.guard.CredentialShapes;
import io.gatehouse.guard.JwtVerifier;
import io.gatehouse.http.Principal;
import io.gatehouse.guard.VerifiedToken;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.gatehouse.oauth.OAuthClient;
import io.gatehouse.oauth.RefreshToken;
import io.gatehouse.oauth.RefreshTokens;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.net.URI;
import java.net.URL;
import java.util.Date;

/**
 * {@code POST /oauth2/introspect} (RFC 7662) for authenticated confidential clients: whether one of
 * Gatehouse's access tokens is active (valid, unexpired, unrevoked) and, if so, what it grants; and
 * whether a refresh token of the calling client is active (unused, unrevoked, unexpired) with its
 * {@code scope}, {@code client_id}, {@code sub} and {@code exp}. Anything else, including another
 * issuer's token or another client's refresh token, is {@code {"active": false}}. The guard
 * authenticates the client ({@link ClientAuthenticator}); a public client is not admitted. Stateless.
 */
public final class IntrospectionEndpoint implements Endpoint.Handler {

  private final URL endpointUrl;
  private final Issuer issuer;
  private final JwtVerifier verifier;
  private final RefreshTokens refreshTokens;

  /** @param verifier the verifier of Gatehouse's own access tokens */
  public IntrospectionEndpoint(URI issuer, JwtVerifier verifier, RefreshTokens refreshTokens) {
    this.endpointUrl = OAuthHttp.endpoint(issuer, "/oauth2/introspect");
    this.issuer = new Issuer(issuer.toString());
    this.verifier = verifier;
    this.refreshTokens = refreshTokens;
  }

  public Endpoint endpoint() {
    return Endpoint.at("oauth:introspect", "/oauth2/introspect").auth(AuthKind.OAUTH_CLIENT)
        .problems(OAuthErrors.FORMAT).on(HttpMethod.POST, this).build();
  }

  @Override
  public Future<Response> handle(Request request) {
    TokenIntrospectionRequest parsed = OAuthHttp.parse(request, endpointUrl, TokenIntrospectionRequest::parse);
    return introspect(parsed.getToken().getValue(), ClientAuthenticator.client(request.principal()))
        .map(answer -> OAuthHttp.response(answer.toHTTPResponse()));
  }

  private Future<TokenIntrospectionSuccessResponse> introspect(String token, OAuthClient client) {
    if (!CredentialShapes.isJwt(token)) {
      return refreshTokens.active(token, client.clientId())
          .map(found -> found.map(this::activeRefresh).orElseGet(IntrospectionEndpoint::inactive));
    }
    return verifier.check(token).map(this::active).otherwise(failed -> inactive());
  }

  private static TokenIntrospectionSuccessResponse inactive() {
    return new TokenIntrospectionSuccessResponse.Builder(false).build();
  }

  private TokenIntrospectionSuccessResponse activeRefresh(RefreshToken token) {
    TokenIntrospectionSuccessResponse.Builder answer = new TokenIntrospectionSuccessResponse.Builder(true)
        .issuer(issuer)
        .subject(new Subject(token.userId()))
        .clientID(new ClientID(token.clientId()))
        .expirationTime(Date.from(token.expiresAt()))
        .issueTime(Date.from(token.createdAt()));
    if (!token.scopes().isEmpty()) {
      answer.scope(Scope.parse(token.scopes()));
    }
    return answer.build();
  }

  private TokenIntrospectionSuccessResponse active(VerifiedToken token) {
    Principal principal = token.principal();
    TokenIntrospectionSuccessResponse.Builder answer = new TokenIntrospectionSuccessResponse.Builder(true)
        .issuer(issuer)
        .subject(new Subject(principal.subject()))
        .tokenType(AccessTokenType.BEARER)
        .expirationTime(Date.from(token.expiresAt()))
        .audience(Audience.create(principal.audience()));
    if (!principal.scopes().isEmpty()) {
      answer.scope(Scope.parse(principal.scopes()));
    }
    if (principal.client() != null) {
      answer.clientID(new ClientID(principal.client()));
    }
    if (token.issuedAt() != null) {
      answer.issueTime(Date.from(token.issuedAt()));
    }
    if (token.jti() != null) {
      answer.jwtID(new JWTID(token.jti()));
    }
    return answer.build();
  }
}
