package io.gatehouse.oauth.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.AuthKind;
import io.gatehouse.http.Endpoint;
import io.gatehouse.identity.Callers;
import io.gatehouse.http.Json;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Response;
import io.gatehouse.oauth.Consents;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;

/**
 * A user's own consents: {@code GET /auth/consents} lists the clients they allowed and with which
 * scopes; {@code DELETE /auth/consents/{client_id}} withdraws one ({@link Consents#withdraw}: the
 * client asks again next time, and its refresh tokens for the user end). Session callers only (a cookie caller's DELETE passes the guard's CSRF check).
 */
public final class ConsentEndpoints {

  private final Consents consents;

  public ConsentEndpoints(Consents consents) {
    this.consents = consents;
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.at("auth:consents", "/auth/consents").auth(AuthKind.SESSION)
            .on(HttpMethod.GET, request -> consents.forUser(Callers.user(request.principal()).id()).map(all -> {
              ObjectNode json = Json.object();
              ObjectNode clients = json.putObject("clients");
              all.forEach((client, scopes) -> scopes.forEach(clients.putArray(client)::add));
              return Response.json(200, json);
            })).build(),
        Endpoint.at("auth:consent", "/auth/consents/{client}").auth(AuthKind.SESSION)
            .on(HttpMethod.DELETE, request -> {
              String client = request.path().substring("/auth/consents/".length());
              return consents.withdraw(Callers.user(request.principal()).id(), client).map(revoked -> {
                if (!revoked) {
                  throw new ProblemException(Problem.NOT_FOUND.withDetail("There is no such consent."));
                }
                return Response.noContent();
              });
            }).build());
  }
}
