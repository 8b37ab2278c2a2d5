package io.gatehouse.identity.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.AuthKind;
import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Json;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.RequestBody;
import io.gatehouse.http.Response;
import io.gatehouse.identity.AccountServices;
import io.gatehouse.identity.Callers;
import io.gatehouse.identity.LoginTokens;
import io.gatehouse.identity.Session;
import io.gatehouse.identity.Sessions;
import io.gatehouse.identity.User;
import io.gatehouse.identity.passkey.Passkey;
import io.gatehouse.identity.passkey.PasskeyRegistration;
import io.gatehouse.identity.passkey.PasskeySignIn;
import io.gatehouse.identity.passkey.Passkeys;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.util.List;

/**
 * The passkey endpoints (with {@code passkeys.enabled}): sign-in under {@code /auth/login/passkey}
 * (open, limited by {@code passkeys.rate_limit} on top of the built-in limit), and a
 * session caller's own passkeys under {@code /auth/passkeys}: registration, {@code GET} the list
 * (id, name, created, last used), {@code PATCH /auth/passkeys/{id}} {@code {name}} renames,
 * {@code DELETE /auth/passkeys/{id}} removes (it signs no one in from then on; a sign-in under
 * five minutes old, else 401 {@code fresh-sign-in-required}). Every change is
 * audited. Built at the composition root.
 */
public final class PasskeyEndpoints {

  private static final String PREFIX = "/auth/passkeys/";
  private static final Problem REMOVE_SIGN_IN_FIRST = FreshSignIn.REQUIRED.withDetail(
      "Sign in again to remove a passkey.");

  private final AccountServices services;
  private final PasskeyRegistration registration;
  private final PasskeySignIn signIn;
  private final Passkeys passkeys;

  public PasskeyEndpoints(AccountServices services, PasskeyRegistration registration, PasskeySignIn signIn,
      Passkeys passkeys) {
    this.services = services;
    this.registration = registration;
    this.signIn = signIn;
    this.passkeys = passkeys;
  }

  /**
   * @param loginTokens what an app's sign-in answers besides its session, as for {@code POST /auth/login}
   * @param perAddress the sign-in endpoints' own limits ({@code passkeys.rate_limit})
   */
  public List<Endpoint> endpoints(LoginTokens loginTokens, List<RateLimitConfig> perAddress) {
    AccountAudit audit = new AccountAudit(services.audit(), services.clock());
    FreshSignIn fresh = new FreshSignIn(audit, services.clock());
    PasskeySignInHandler signInHandler = new PasskeySignInHandler(signIn, services.sessions(), services.cookies(),
        audit, loginTokens);
    PasskeyRegistrationHandler registrationHandler = new PasskeyRegistrationHandler(registration, audit, services.clock());
    return List.of(
        Endpoint.at("auth:passkey-options", "/auth/login/passkey/options").auth(AuthKind.NONE)
            .rateLimits(perAddress).on(HttpMethod.POST, signInHandler.options()).build(),
        Endpoint.at("auth:passkey-login", "/auth/login/passkey").auth(AuthKind.NONE)
            .rateLimits(perAddress).on(HttpMethod.POST, signInHandler.signIn()).build(),
        Endpoint.at("auth:passkeys-options", "/auth/passkeys/options").auth(AuthKind.SESSION)
            .on(HttpMethod.POST, registrationHandler.options()).build(),
        Endpoint.at("auth:passkeys", "/auth/passkeys").auth(AuthKind.SESSION)
            .on(HttpMethod.GET, this::list)
            .on(HttpMethod.POST, registrationHandler.register()).build(),
        Endpoint.at("auth:passkey", "/auth/passkeys/{id}").auth(AuthKind.SESSION)
            .on(HttpMethod.PATCH, request -> rename(request, audit))
            .on(HttpMethod.DELETE, request -> remove(request, audit, fresh)).build());
  }

  private Future<Response> list(Request request) {
    return passkeys.list(Callers.user(request.principal()).id()).map(all -> {
      ObjectNode body = Json.object();
      ArrayNode items = body.putArray("passkeys");
      all.forEach(passkey -> items.add(describe(passkey)));
      return Response.json(200, body);
    });
  }

  private Future<Response> rename(Request request, AccountAudit audit) {
    if (!request.isJson()) {
      return Future.failedFuture(new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE));
    }
    User user = Callers.user(request.principal());
    String id = credentialId(request);
    String name = RequestBody.requiredString(RequestBody.jsonObject(request.body()), "name");
    return passkeys.rename(user.id(), id, name).map(renamed -> {
      if (!renamed) {
        throw new ProblemException(Problem.NO_SUCH_ITEM);
      }
      audit.success(request, "passkey.rename", user.id(), "credential=" + Passkey.shortId(id));
      return Response.noContent();
    });
  }

  /** Needs a sign-in within {@link Session#FRESH_SIGN_IN}, as on the account page: it may be the last factor. */
  private Future<Response> remove(Request request, AccountAudit audit, FreshSignIn fresh) {
    Sessions.Active session = Callers.session(request.principal());
    User user = session.user();
    String id = credentialId(request);
    if (fresh.stale(request, "passkey.remove", session)) {
      return Future.failedFuture(new ProblemException(REMOVE_SIGN_IN_FIRST));
    }
    return passkeys.remove(user.id(), id).map(removed -> {
      if (!removed) {
        throw new ProblemException(Problem.NO_SUCH_ITEM);
      }
      audit.success(request, "passkey.remove", user.id(), "credential=" + Passkey.shortId(id));
      return Response.noContent();
    });
  }

  /** The {id} of the path: a base64url credential id, else 404 (nothing can have that id). */
  private static String credentialId(Request request) {
    String id = request.path().substring(PREFIX.length());
    if (!Passkey.CREDENTIAL_ID.matcher(id).matches()) {
      throw new ProblemException(Problem.NO_SUCH_ITEM);
    }
    return id;
  }

  /** What the account endpoints show of a passkey: never its key. */
  static ObjectNode describe(Passkey passkey) {
    ObjectNode item = Json.object()
        .put("id", passkey.credentialId())
        .put("name", passkey.name())
        .put("created_at", passkey.createdAt().toString())
        .put("last_used_at", passkey.lastUsedAt() == null ? null : passkey.lastUsedAt().toString())
        .put("backed_up", passkey.backupState());
    passkey.transports().forEach(item.putArray("transports")::add);
    return item;
  }
}
