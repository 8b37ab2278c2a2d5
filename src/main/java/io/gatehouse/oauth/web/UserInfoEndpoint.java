package io.gatehouse.oauth.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.AuthKind;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Json;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.gatehouse.identity.UserStore;
import io.gatehouse.oauth.IdTokens;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;

/**
 * {@code GET|POST /oauth2/userinfo} (OpenID Connect Core §5.3): the signed-in user's claims for
 * one of Gatehouse's access tokens granted {@code openid}: {@code sub}, and what the token's other
 * standard scopes ask for ({@link IdTokens#claims}: {@code profile}, {@code email}), nothing more.
 * The guard checks the token and the scope (401 / 403 with RFC 6750 challenges). A token that
 * names no user (a {@code client_credentials} token) gets 403. Stateless.
 */
public final class UserInfoEndpoint implements Endpoint.Handler {

  private static final Problem NOT_A_USER = new Problem(403, "not-a-user", "Forbidden",
      "This token was not issued to a user.");

  private final UserStore users;

  public UserInfoEndpoint(UserStore users) {
    this.users = users;
  }

  public Endpoint endpoint() {
    return Endpoint.at("oauth:userinfo", "/oauth2/userinfo").auth(AuthKind.JWT)
        .requires(principal -> principal.scopes().contains(IdTokens.OPENID))
        .on(HttpMethod.GET, this).on(HttpMethod.POST, this).build();
  }

  @Override
  public Future<Response> handle(Request request) {
    return users.byId(request.principal().subject()).map(found -> {
      var user = found.filter(u -> !u.disabled()).orElseThrow(() -> new ProblemException(NOT_A_USER));
      ObjectNode claims = Json.object().put("sub", user.id());
      IdTokens.claims(user, request.principal().scopes()).forEach((name, value) -> claims.put(name, value));
      return Response.json(200, claims);
    });
  }
}
