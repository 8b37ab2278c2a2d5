package io.gatehouse.identity.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Json;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.RequestBody;
import io.gatehouse.http.Response;
import io.gatehouse.identity.AccountAdmin;
import io.gatehouse.identity.ApiKey;
import io.gatehouse.identity.Session;
import io.gatehouse.identity.User;
import io.gatehouse.identity.passkey.Passkey;
import io.gatehouse.identity.passkey.Passkeys;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The admin API for accounts on the management listener, JSON in and out: {@code /admin/users}
 * (GET list, POST create; {@code /admin/users/{id}}: GET (with its second factors:
 * {@code factors.totp}, {@code factors.recovery_codes_left}, and its {@code passkeys}), DELETE
 * {@code /admin/users/{id}/factors} resets the one-time codes, DELETE
 * {@code /admin/users/{id}/passkeys/{credential id}} removes a passkey (a lost or stolen device),
 * PATCH {@code roles}/{@code disabled},
 * DELETE), {@code /admin/apikeys} (GET list without secrets, POST create showing the key once,
 * {@code {user_id | service, roles, scopes, expires_in (seconds)}};
 * DELETE {@code /admin/apikeys/{id}} revokes) and {@code /admin/sessions?user_id=} (GET; DELETE
 * {@code /admin/sessions/{id}} revokes). PATCH may also set {@code password}; a change of roles,
 * password or a disable ends the user's sessions and tokens. The guard admits callers as
 * {@link AdminAccess} says; every change is audited with who made it and what it changed.
 */
public final class AdminEndpoints {

  private final AccountAdmin admin;
  private final AdminAccess access;
  private final Passkeys passkeys;

  public AdminEndpoints(AccountAdmin admin, AdminAccess access, Passkeys passkeys) {
    this.admin = admin;
    this.access = access;
    this.passkeys = passkeys;
  }

  public List<Endpoint> endpoints() {
    return List.of(
        endpoint("admin:users", "/admin/users")
            .on(HttpMethod.GET, request -> admin.users().map(users -> list(users, AdminEndpoints::user)))
            .on(HttpMethod.POST, this::createUser).build(),
        endpoint("admin:user", "/admin/users/{id}")
            .on(HttpMethod.GET, request -> admin.user(id(request, "/admin/users/")).compose(found -> {
              User user = found.orElseThrow(AdminEndpoints::notFound);
              return admin.factors(user.id()).compose(factors -> passkeys.list(user.id()).map(keys -> {
                ObjectNode json = user(user);
                json.putObject("factors").put("totp", factors.totp())
                    .put("recovery_codes_left", factors.recoveryCodesLeft());
                ArrayNode array = json.putArray("passkeys");
                keys.forEach(key -> array.add(passkey(key)));
                return Response.json(200, json);
              }));
            }))
            .on(HttpMethod.PATCH, this::updateUser)
            .on(HttpMethod.DELETE, request -> change(request, "admin.user.delete", id(request, "/admin/users/"),
                "user=" + id(request, "/admin/users/"), () -> admin.delete(id(request, "/admin/users/")))).build(),
        // Second factors (a lost phone): removed, so that the user enrols again; audited with who did it.
        endpoint("admin:user-factors", "/admin/users/{id}/factors")
            .on(HttpMethod.DELETE, request -> {
              String id = id(request, "/admin/users/").replace("/factors", "");
              return change(request, "admin.user.mfa_reset", id, "user=" + id, () -> admin.resetFactors(id));
            }).build(),
        endpoint("admin:user-passkey", "/admin/users/{id}/passkeys/{credential}")
            .on(HttpMethod.DELETE, request -> {
              String[] ids = id(request, "/admin/users/").split("/passkeys/", 2);
              return change(request, "admin.user.passkey_remove", ids[0], "user=" + ids[0] + " credential="
                  + Passkey.shortId(ids[1]), () -> passkeys.remove(ids[0], ids[1]));
            }).build(),
        endpoint("admin:apikeys", "/admin/apikeys")
            .on(HttpMethod.GET, request -> admin.apiKeys().map(keys -> list(keys, AdminEndpoints::apiKey)))
            .on(HttpMethod.POST, this::createApiKey).build(),
        endpoint("admin:apikey", "/admin/apikeys/{id}")
            .on(HttpMethod.DELETE, request -> change(request, "admin.apikey.revoke", null,
                "key=" + id(request, "/admin/apikeys/"), () -> admin.revokeApiKey(id(request, "/admin/apikeys/"))))
            .build(),
        endpoint("admin:sessions", "/admin/sessions")
            .on(HttpMethod.GET, request -> {
              String userId = request.queryParam("user_id");
              if (userId == null || userId.isBlank()) {
                return Future.failedFuture(new ProblemException(Problem.invalidField("user_id", "is required")));
              }
              return admin.sessions(userId).map(sessions -> list(sessions, AdminEndpoints::session));
            }).build(),
        endpoint("admin:session", "/admin/sessions/{id}")
            .on(HttpMethod.DELETE, request -> change(request, "admin.session.revoke", null,
                "session=" + id(request, "/admin/sessions/"),
                () -> admin.revokeSession(id(request, "/admin/sessions/"))))
            .build());
  }

  private Endpoint.Builder endpoint(String id, String path) {
    return access.endpoint(id, path);
  }

  private Future<Response> createUser(Request request) {
    return json(request).compose(body -> admin.createUser(RequestBody.requiredString(body, "username"),
            RequestBody.requiredString(body, "password"), RequestBody.string(body, "email"),
            orEmpty(RequestBody.stringList(body, "roles"))))
        .map(user -> {
          access.changed(request, "admin.user.create", user.id(), "user=" + user.id() + " username=" + user.username()
              + " roles=" + String.join(",", user.roles()));
          return Response.json(201, user(user));
        });
  }

  private Future<Response> updateUser(Request request) {
    String id = id(request, "/admin/users/");
    return json(request).compose(body -> {
          List<String> roles = RequestBody.stringList(body, "roles");
          Boolean disabled = RequestBody.bool(body, "disabled");
          String password = RequestBody.string(body, "password");
          return admin.update(id, roles, disabled, password).map(found -> {
            User user = found.orElseThrow(AdminEndpoints::notFound);
            access.changed(request, "admin.user.update", user.id(), "user=" + user.id()
                + (roles == null ? "" : " roles=" + String.join(",", roles))
                + (disabled == null ? "" : " disabled=" + disabled) + (password == null ? "" : " password=set"));
            return Response.json(200, user(user));
          });
        });
  }

  private Future<Response> createApiKey(Request request) {
    return json(request).compose(body -> {
          Long expires = RequestBody.positiveLong(body, "expires_in", 100L * 365 * 24 * 3600);
          Duration ttl = expires == null ? null : Duration.ofSeconds(expires);
          return admin.createApiKey(RequestBody.string(body, "user_id"), RequestBody.string(body, "service"),
              orEmpty(RequestBody.stringList(body, "roles")), orEmpty(RequestBody.stringList(body, "scopes")), ttl);
        })
        .map(created -> {
          ApiKey key = created.key();
          access.changed(request, "admin.apikey.create", key.userId(), "key=" + key.id()
              + (key.userId() != null ? " user=" + key.userId() : " service=" + key.service())
              + " roles=" + String.join(",", key.roles()) + " scopes=" + String.join(",", key.scopes()));
          ObjectNode json = apiKey(created.key());
          json.put("key", created.plaintext());
          return Response.json(201, json);
        });
  }

  /** A deletion or revocation: 204 when it happened, 404 when there was nothing of that id. */
  private Future<Response> change(Request request, String event, String userId, String what,
      Supplier<Future<Boolean>> action) {
    return action.get().map(done -> {
      if (!done) {
        throw notFound();
      }
      access.changed(request, event, userId, what);
      return Response.noContent();
    });
  }

  private static Future<ObjectNode> json(Request request) {
    if (!request.isJson()) {
      return Future.failedFuture(new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE));
    }
    try {
      return Future.succeededFuture(RequestBody.jsonObject(request.body()));
    } catch (ProblemException e) {
      return Future.failedFuture(e);
    }
  }

  private static String id(Request request, String prefix) {
    return request.path().substring(prefix.length());
  }

  private static ProblemException notFound() {
    return new ProblemException(Problem.NO_SUCH_ITEM);
  }

  private static List<String> orEmpty(List<String> names) {
    return names == null ? List.of() : names;
  }

  private static <T> Response list(List<T> items, Function<T, ObjectNode> view) {
    ObjectNode json = Json.object();
    ArrayNode array = json.putArray("items");
    items.forEach(item -> array.add(view.apply(item)));
    return Response.json(200, json);
  }

  private static ObjectNode user(User user) {
    ObjectNode json = Json.object().put("id", user.id()).put("username", user.username()).put("email", user.email())
        .put("disabled", user.disabled()).put("created_at", time(user.createdAt()));
    user.roles().forEach(json.putArray("roles")::add);
    return json;
  }

  private static ObjectNode apiKey(ApiKey key) {
    ObjectNode json = Json.object().put("id", key.id()).put("user_id", key.userId()).put("service", key.service())
        .put("created_at", time(key.createdAt())).put("expires_at", time(key.expiresAt()))
        .put("last_used_at", time(key.lastUsedAt())).put("revoked_at", time(key.revokedAt()));
    ArrayNode roles = json.putArray("roles");
    key.roles().forEach(roles::add);
    ArrayNode scopes = json.putArray("scopes");
    key.scopes().forEach(scopes::add);
    return json;
  }

  /** A passkey as the admin sees it: never its public key. */
  private static ObjectNode passkey(Passkey passkey) {
    return Json.object().put("id", passkey.credentialId()).put("name", passkey.name())
        .put("created_at", time(passkey.createdAt())).put("last_used_at", time(passkey.lastUsedAt()))
        .put("backed_up", passkey.backupState());
  }

  private static ObjectNode session(Session session) {
    return Json.object().put("id", session.tokenHash()).put("user_id", session.userId())
        .put("created_at", time(session.createdAt())).put("last_seen_at", time(session.lastSeenAt()))
        .put("expires_at", time(session.expiresAt()));
  }

  private static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
