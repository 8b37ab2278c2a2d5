package io.gatehouse.oauth.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.http.AdminPolicy;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Json;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.RequestBody;
import io.gatehouse.http.Response;
import io.gatehouse.oauth.Clients;
import io.gatehouse.oauth.OAuthClient;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@code /admin/clients} on the management listener: GET lists clients (never secrets), POST
 * registers one ({@code {client_id, grants?, scopes?, audiences?, redirect_uris?, public?,
 * first_party?, jwks?, id_token_signed_response_alg?}}: the secret shown once, or with {@code jwks}
 * none, the client authenticating with {@code private_key_jwt}; id tokens RS256 unless another
 * algorithm Gatehouse signs with is named), DELETE {@code /admin/clients/{id}} removes one.
 * Guarded and audited by {@link AdminPolicy}.
 */
public final class ClientAdminEndpoints {

  private final Clients clients;
  private final AdminPolicy access;

  public ClientAdminEndpoints(Clients clients, AdminPolicy access) {
    this.clients = clients;
    this.access = access;
  }

  public List<Endpoint> endpoints() {
    return List.of(
        access.endpoint("admin:clients", "/admin/clients")
            .on(HttpMethod.GET, request -> clients.list().map(all -> {
              ObjectNode json = Json.object();
              ArrayNode items = json.putArray("items");
              all.forEach(client -> items.add(view(client)));
              return Response.json(200, json);
            }))
            .on(HttpMethod.POST, this::create).build(),
        access.endpoint("admin:client", "/admin/clients/{id}")
            .on(HttpMethod.DELETE, request -> {
              String id = request.path().substring("/admin/clients/".length());
              return clients.remove(id).map(removed -> {
                if (!removed) {
                  throw new ProblemException(Problem.NO_SUCH_ITEM);
                }
                access.changed(request, "admin.client.remove", null, null);
                return Response.noContent();
              });
            }).build());
  }

  private Future<Response> create(Request request) {
    if (!request.isJson()) {
      return Future.failedFuture(new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE));
    }
    Future<Clients.Created> created;
    try {
      ObjectNode body = RequestBody.jsonObject(request.body());
      boolean isPublic = Boolean.TRUE.equals(RequestBody.bool(body, "public"));
      List<String> grants = RequestBody.stringList(body, "grants");
      var jwks = body.get("jwks");
      if (jwks != null && !jwks.isNull() && !jwks.isObject()) {
        throw new ProblemException(Problem.invalidField("jwks", "must be a JWK set object"));
      }
      created = clients.create(RequestBody.requiredString(body, "client_id"),
          grants != null ? grants : List.of(isPublic ? Clients.AUTHORIZATION_CODE : Clients.CLIENT_CREDENTIALS),
          orEmpty(RequestBody.stringList(body, "scopes")), orEmpty(RequestBody.stringList(body, "audiences")),
          orEmpty(RequestBody.stringList(body, "redirect_uris")), isPublic,
          Boolean.TRUE.equals(RequestBody.bool(body, "first_party")),
          jwks == null || jwks.isNull() ? null : jwks.toString(),
          RequestBody.string(body, "id_token_signed_response_alg"));
    } catch (ProblemException e) {
      created = Future.failedFuture(e);
    }
    return created.map(result -> {
      OAuthClient client = result.client();
      access.changed(request, "admin.client.create", null, "client=" + client.clientId() + " grants="
          + String.join(",", client.grants()) + " scopes=" + String.join(",", client.scopes()) + " first_party="
          + client.firstParty());
      ObjectNode json = view(result.client());
      if (result.secret() != null) {
        json.put("client_secret", result.secret());
      }
      return Response.json(201, json);
    });
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : values;
  }

  private static ObjectNode view(OAuthClient client) {
    ObjectNode json = Json.object().put("client_id", client.clientId()).put("public", client.isPublic())
        .put("token_endpoint_auth_method", client.isPublic() ? "none"
            : client.jwks() != null ? "private_key_jwt" : "client_secret_basic")
        .put("first_party", client.firstParty()).put("created_at", client.createdAt().toString())
        .put("id_token_signed_response_alg", client.idTokenSignedResponseAlg());
    client.grants().forEach(json.putArray("grants")::add);
    client.scopes().forEach(json.putArray("scopes")::add);
    client.audiences().forEach(json.putArray("audiences")::add);
    client.redirectUris().forEach(json.putArray("redirect_uris")::add);
    return json;
  }
}
