package io.gatehouse.keys;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import io.gatehouse.http.AdminPolicy;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Json;
import io.gatehouse.http.Response;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@code /admin/keys} on the management listener: GET lists the published signing keys (public
 * parts, those that sign now marked, one per algorithm); {@code POST /admin/keys/rotate} hands over
 * to the next keys now, in this process at once. Guarded and audited by {@link AdminPolicy}.
 */
public final class KeyAdminEndpoints {

  private final SigningKeys keys;
  private final AdminPolicy access;

  public KeyAdminEndpoints(SigningKeys keys, AdminPolicy access) {
    this.keys = keys;
    this.access = access;
  }

  public List<Endpoint> endpoints() {
    return List.of(
        access.endpoint("admin:keys", "/admin/keys")
            .on(HttpMethod.GET, request -> Future.succeededFuture(Response.json(200, view()))).build(),
        access.endpoint("admin:keys-rotate", "/admin/keys/rotate")
            .on(HttpMethod.POST, request -> keys.rotate().map(done -> {
              access.changed(request, "admin.keys.rotate", null, null);
              return Response.json(200, view());
            })).build());
  }

  private ObjectNode view() {
    var signing = keys.signingKeyIds();
    ObjectNode json = Json.object();
    ArrayNode items = json.putArray("items");
    for (JWK key : keys.published().getKeys()) {
      items.add(Json.object().put("kid", key.getKeyID())
          .put("alg", key.getAlgorithm() == null ? null : key.getAlgorithm().getName())
          .put("signing", signing.contains(key.getKeyID())));
    }
    return json;
  }
}
