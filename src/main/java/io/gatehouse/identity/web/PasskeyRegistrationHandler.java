package io.gatehouse.identity.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Json;
import io.gatehouse.http.Principal;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.RequestBody;
import io.gatehouse.http.Response;
import io.gatehouse.identity.Callers;
import io.gatehouse.identity.Session;
import io.gatehouse.identity.Sessions;
import io.gatehouse.identity.User;
import io.gatehouse.identity.passkey.Passkey;
import io.gatehouse.identity.passkey.PasskeyRegistration;
import io.gatehouse.identity.passkey.PasskeyRejected;
import io.vertx.core.Future;
import java.time.Clock;

/**
 * Registering a passkey, for a session caller (a cookie caller's POST passes the guard's CSRF
 * check first): {@code POST /auth/passkeys/options} answers the creation options, whose challenge
 * is bound to the caller's session; {@code POST /auth/passkeys} with JSON
 * {@code {credential: <PublicKeyCredential.toJSON()>, name?}} verifies the answer to it and stores
 * the passkey: 201 {@code {id, name, created_at}}. Both need a sign-in under
 * {@link Session#FRESH_SIGN_IN} old (401 {@code fresh-sign-in-required} otherwise). A refused answer
 * is 401, audited; a malformed one 400. Stateless.
 */
final class PasskeyRegistrationHandler {

  /**
   * A session older than {@link Session#FRESH_SIGN_IN} registers no passkey: whoever holds a stolen
   * session must not bind their own passkey to the account, so the user signs in again first.
   */
  static final Problem SIGN_IN_FIRST = FreshSignIn.REQUIRED.withDetail("Sign in again to add a passkey.");

  private final PasskeyRegistration registration;
  private final AccountAudit audit;
  private final FreshSignIn fresh;

  PasskeyRegistrationHandler(PasskeyRegistration registration, AccountAudit audit, Clock clock) {
    this.registration = registration;
    this.audit = audit;
    this.fresh = new FreshSignIn(audit, clock);
  }

  Endpoint.Handler options() {
    return request -> {
      Sessions.Active session = Callers.session(request.principal());
      if (fresh.stale(request, "passkey.register", session)) {
        return Future.failedFuture(new ProblemException(SIGN_IN_FIRST));
      }
      return registration.options(session.user(), session.session().tokenHash()).map(options -> {
        ObjectNode body = Json.object();
        body.set("publicKey", WebAuthnOptionsJson.creation(options));
        return Response.json(200, body);
      });
    };
  }

  Endpoint.Handler register() {
    return request -> {
      if (!request.isJson()) {
        return Future.failedFuture(new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE));
      }
      Principal caller = request.principal();
      User user = Callers.user(caller);
      ObjectNode json = RequestBody.jsonObject(request.body());
      String credential = credentialJson(json);
      String name = RequestBody.string(json, "name");
      if (fresh.stale(request, "passkey.register", Callers.session(caller))) {
        return Future.failedFuture(new ProblemException(SIGN_IN_FIRST));
      }
      return registration.register(user, Callers.session(caller).session().tokenHash(), credential, name)
          .onFailure(failure -> {
            if (failure instanceof PasskeyRejected rejected) {
              audit.failure(request, "passkey.register", user.id(), rejected.reason());
            }
          })
          .map(passkey -> {
            audit.success(request, "passkey.register", user.id(), "credential=" + Passkey.shortId(
                passkey.credentialId()));
            return Response.json(201, PasskeyEndpoints.describe(passkey));
          });
    };
  }


  /** The {@code credential} member, an object, as the JSON text webauthn4j parses; a 400 otherwise. */
  static String credentialJson(ObjectNode body) {
    JsonNode credential = body.get("credential");
    if (credential == null || !credential.isObject()) {
      throw new ProblemException(Problem.invalidField("credential", "must be the PublicKeyCredential as JSON"));
    }
    return new String(Json.bytes(credential), java.nio.charset.StandardCharsets.UTF_8);
  }
}
