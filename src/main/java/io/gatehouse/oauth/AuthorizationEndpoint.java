package io.gatehouse.oauth;

import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import io.gatehouse.guard.AuthKind;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.net.URI;
import java.util.List;

/**
 * {@code GET /oauth2/authorize} (RFC 6749 §4.1.1) for a signed-in user: the route guard admits a
 * session and sends a browser without one to the sign-in page and back. The client and its exact
 * redirect URI are checked first: if either is wrong the answer is an error here, never a redirect
 * (§4.1.2.1). After that every error goes back to the client's redirect URI with its
 * {@code state}. Only {@code response_type=code}; PKCE with S256 (RFC 7636), required for public
 * clients; scopes within the client's. First-party clients get their code at once; consent for
 * third-party clients is not built yet, so they are answered {@code consent_required}. Success
 * carries {@code code}, {@code state} and RFC 9207 {@code iss}. Stateless.
 */
public final class AuthorizationEndpoint implements Endpoint.Handler {

  private static final Problem BAD_CLIENT = new Problem(400, "invalid-authorization-request", "Bad Request",
      "The client or its redirect URI is not registered here, so this request cannot be answered to it.");

  private final URI endpoint;
  private final Issuer issuer;
  private final Clients clients;
  private final AuthorizationCodes codes;

  public AuthorizationEndpoint(URI issuer, Clients clients, AuthorizationCodes codes) {
    this.endpoint = URI.create(issuer + "/oauth2/authorize");
    this.issuer = new Issuer(issuer.toString());
    this.clients = clients;
    this.codes = codes;
  }

  public Endpoint endpoint() {
    return Endpoint.at("oauth:authorize", "/oauth2/authorize").auth(AuthKind.SESSION).signIn()
        .on(HttpMethod.GET, this).build();
  }

  @Override
  public Future<Response> handle(Request request) {
    String clientId = request.queryParam("client_id");
    String redirectUri = request.queryParam("redirect_uri");
    if (clientId == null || redirectUri == null) {
      return Future.failedFuture(new ProblemException(BAD_CLIENT));
    }
    return clients.find(clientId).compose(found -> {
      OAuthClient client = found.orElse(null);
      if (client == null || !client.grants().contains(Clients.AUTHORIZATION_CODE)
          || !client.redirectUris().contains(redirectUri)) {
        return Future.failedFuture(new ProblemException(BAD_CLIENT));
      }
      URI redirect = URI.create(redirectUri);
      State state = request.queryParam("state") == null ? null : new State(request.queryParam("state"));
      AuthorizationRequest parsed;
      try {
        parsed = AuthorizationRequest.parse(URI.create(endpoint + "?" + request.rawQuery()));
      } catch (ParseException | IllegalArgumentException e) {
        return Future.succeededFuture(error(redirect, OAuth2Error.INVALID_REQUEST, state));
      }
      if (!ResponseType.CODE.equals(parsed.getResponseType())) {
        return Future.succeededFuture(error(redirect, OAuth2Error.UNSUPPORTED_RESPONSE_TYPE, state));
      }
      if (parsed.getCodeChallenge() == null ? client.isPublic()
          : !CodeChallengeMethod.S256.equals(parsed.getCodeChallengeMethod())) {
        return Future.succeededFuture(error(redirect,
            OAuth2Error.INVALID_REQUEST.setDescription("PKCE with S256 is required."), state));
      }
      List<String> scopes = parsed.getScope() == null ? client.scopes() : parsed.getScope().toStringList();
      if (!client.scopes().containsAll(scopes)) {
        return Future.succeededFuture(error(redirect, OAuth2Error.INVALID_SCOPE, state));
      }
      if (!client.firstParty()) {
        return Future.succeededFuture(error(redirect, new ErrorObject("consent_required",
            "This client needs the user's consent, which is not available yet.", 302), state));
      }
      String challenge = parsed.getCodeChallenge() == null ? null : parsed.getCodeChallenge().getValue();
      return codes.issue(client, request.principal().user(), redirectUri, scopes, challenge)
          .map(code -> redirect(new AuthorizationSuccessResponse(redirect,
              new com.nimbusds.oauth2.sdk.AuthorizationCode(code), null, state, issuer, null).toURI()));
    });
  }

  private Response error(URI redirect, ErrorObject error, State state) {
    return redirect(new AuthorizationErrorResponse(redirect, error, state, issuer, null).toURI());
  }

  private static Response redirect(URI location) {
    return Response.status(302).header(HttpHeaderNames.LOCATION, location.toString())
        .header(HttpHeaderNames.CACHE_CONTROL, "no-store").build();
  }
}
