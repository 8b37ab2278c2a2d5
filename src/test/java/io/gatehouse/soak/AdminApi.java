package io.gatehouse.soak;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;

/**
 * The admin API as the soak's administrator calls it: on the management listener of the first
 * instance that answers, with the administrator's session (signed in again when it is refused).
 */
final class AdminApi {

  private final SoakClient client;
  private final SoakTarget target;
  private final String username;
  private final String password;
  private volatile String session;

  AdminApi(SoakClient client, SoakTarget target, String username, String password) {
    this.client = client;
    this.target = target;
    this.username = username;
    this.password = password;
  }

  /** {@code method path} with {@code body} (JSON, or none when null); the first answer that is not a failure. */
  Answer call(String method, String path, JsonObject body) {
    Answer last = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      for (SoakTarget.Instance instance : target.instances()) {
        if (session == null && !signIn(instance)) {
          continue;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(instance.management().get().resolve(path))
            .timeout(SoakClient.TIMEOUT).header("Authorization", "Bearer " + session)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.encode()));
        if (body != null) {
          request.header("Content-Type", "application/json");
        }
        last = client.send("admin " + method + " " + path.replaceAll("/[0-9a-f-]{16,}", "/{id}"), request.build());
        if (last.answered() && last.status() == 401) {
          session = null; // its session ended (Redis lost it, say): sign in again
          continue;
        }
        if (!last.failedByFault()) {
          return last;
        }
      }
    }
    return last;
  }

  private boolean signIn(SoakTarget.Instance instance) {
    HttpRequest request = HttpRequest.newBuilder(instance.http().get().resolve("/auth/login"))
        .timeout(SoakClient.TIMEOUT).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", username)
            .put("password", password).encode())).build();
    Answer answer = client.send("admin sign-in", request);
    if (answer.is2xx()) {
      session = new JsonObject(answer.body()).getString("session_token");
      return true;
    }
    return false;
  }
}
