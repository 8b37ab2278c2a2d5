package io.gatehouse.oauth;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.PlainClientSecret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.gatehouse.guard.AuthKind;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /oauth2/token} (RFC 6749 §3.2): the {@code client_credentials} grant (§4.4) for
 * confidential clients authenticated by {@code client_secret_basic} or {@code client_secret_post}
 * (§2.3.1), with optional {@code scope} (a subset of the client's; all of them when absent) and
 * RFC 8707 {@code resource} (among the client's audiences). The request is parsed by the Nimbus
 * OAuth 2.0 SDK; every error is RFC 6749 §5.2 JSON with {@code Cache-Control: no-store}, never
 * problem+json, and a failed client authentication is 401 {@code invalid_client} with a
 * {@code Basic} challenge. Client authentication is part of this protocol message, so this
 * endpoint is open to the route guard and authenticates its client itself. Stateless.
 */
public final class TokenEndpoint implements Endpoint.Handler {

  private final URL endpointUrl;
  private final String issuer;
  private final Clients clients;
  private final AccessTokens tokens;

  public TokenEndpoint(URI issuer, Clients clients, AccessTokens tokens) {
    this.issuer = issuer.toString();
    this.clients = clients;
    this.tokens = tokens;
    try {
      this.endpointUrl = URI.create(this.issuer + "/oauth2/token").toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("issuer is not a URL", e);
    }
  }

  public Endpoint endpoint() {
    return Endpoint.at("oauth:token", "/oauth2/token").auth(AuthKind.NONE).on(HttpMethod.POST, this).build();
  }

  @Override
  public Future<Response> handle(Request request) {
    TokenRequest parsed;
    try {
      HTTPRequest http = httpRequest(request);
      // RFC 6749 §3.2: no parameter more than once (RFC 8707 lets resource repeat).
      for (Map.Entry<String, List<String>> parameter : URLUtils.parseParameters(http.getBody()).entrySet()) {
        if (parameter.getValue().size() > 1 && !parameter.getKey().equals("resource")) {
          return Future.succeededFuture(error(OAuth2Error.INVALID_REQUEST.setDescription("A parameter is repeated.")));
        }
      }
      parsed = TokenRequest.parse(http);
    } catch (ParseException e) {
      ErrorObject error = e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST;
      return Future.succeededFuture(error(error.setDescription(safeDescription(error))));
    }
    ClientAuthentication authentication = parsed.getClientAuthentication();
    if (!(authentication instanceof PlainClientSecret secret)) {
      return Future.succeededFuture(invalidClient(authentication));
    }
    return clients.authenticate(secret.getClientID().getValue(), secret.getClientSecret().getValue())
        .map(client -> client.map(c -> grant(c, parsed)).orElseGet(() -> invalidClient(authentication)));
  }

  private Response grant(OAuthClient client, TokenRequest request) {
    AuthorizationGrant grant = request.getAuthorizationGrant();
    if (!(grant instanceof ClientCredentialsGrant)) {
      return error(OAuth2Error.UNSUPPORTED_GRANT_TYPE);
    }
    if (!client.grants().contains(Clients.CLIENT_CREDENTIALS)) {
      return error(OAuth2Error.UNAUTHORIZED_CLIENT);
    }
    List<String> scopes = request.getScope() == null ? client.scopes() : request.getScope().toStringList();
    if (!client.scopes().containsAll(scopes)) {
      return error(OAuth2Error.INVALID_SCOPE);
    }
    List<String> audiences = new ArrayList<>();
    if (request.getResources() != null) {
      for (URI resource : request.getResources()) {
        audiences.add(resource.toString());
      }
      if (!client.audiences().containsAll(audiences)) {
        return error(OAuth2Error.INVALID_TARGET);
      }
    } else {
      audiences.addAll(client.audiences().isEmpty() ? List.of(issuer) : client.audiences());
    }
    AccessTokens.Minted minted = tokens.mint(client.clientId(), client.clientId(), audiences, scopes, List.of());
    BearerAccessToken token = new BearerAccessToken(minted.token(), minted.lifetime().toSeconds(),
        scopes.isEmpty() ? null : Scope.parse(scopes));
    return response(new AccessTokenResponse(new Tokens(token, null)).toHTTPResponse());
  }

  private HTTPRequest httpRequest(Request request) {
    HTTPRequest http = new HTTPRequest(HTTPRequest.Method.POST, endpointUrl);
    String contentType = request.header(HttpHeaderNames.CONTENT_TYPE);
    if (contentType != null) {
      http.setHeader("Content-Type", contentType);
    }
    String authorization = request.header(HttpHeaderNames.AUTHORIZATION);
    if (authorization != null) {
      http.setAuthorization(authorization);
    }
    http.setBody(new String(request.body(), StandardCharsets.UTF_8));
    return http;
  }

  /** RFC 6749 §5.2: 401 and a challenge naming the scheme the client tried (Basic by default). */
  private static Response invalidClient(ClientAuthentication tried) {
    Response.Builder response = builder(new TokenErrorResponse(OAuth2Error.INVALID_CLIENT).toHTTPResponse());
    if (tried == null || tried instanceof ClientSecretBasic) {
      response.header(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"gatehouse\"");
    }
    return response.build();
  }

  private static Response error(ErrorObject error) {
    return response(new TokenErrorResponse(error).toHTTPResponse());
  }

  /** Nimbus's own descriptions may quote what the client sent; ours never echo input. */
  private static String safeDescription(ErrorObject error) {
    return OAuth2Error.UNSUPPORTED_GRANT_TYPE.getCode().equals(error.getCode())
        ? "The grant type is not supported." : "The token request is malformed.";
  }

  private static Response response(HTTPResponse http) {
    return builder(http).build();
  }

  private static Response.Builder builder(HTTPResponse http) {
    Response.Builder response = Response.status(http.getStatusCode());
    for (Map.Entry<String, List<String>> header : http.getHeaderMap().entrySet()) {
      if (!header.getKey().equalsIgnoreCase("Content-Type") && !header.getKey().equalsIgnoreCase("Cache-Control")) {
        for (String value : header.getValue()) {
          response.header(header.getKey(), value);
        }
      }
    }
    response.header(HttpHeaderNames.CACHE_CONTROL, "no-store");
    String body = Optional.ofNullable(http.getBody()).orElse("");
    return response.body(body.getBytes(StandardCharsets.UTF_8), "application/json;charset=UTF-8");
  }
}
