package io.gatehouse.identity.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Json;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.RequestBody;
import io.gatehouse.http.Response;
import io.gatehouse.identity.LoginTokens;
import io.gatehouse.identity.SessionCookies;
import io.gatehouse.identity.Sessions;
import io.gatehouse.identity.passkey.Passkey;
import io.gatehouse.identity.passkey.PasskeyRejected;
import io.gatehouse.identity.passkey.PasskeySignIn;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;

/**
 * Signing in with a passkey alone, open to anyone (rate limited per address):
 *
 * <ul>
 *   <li>{@code POST /auth/login/passkey/options} answers {@code {handle, publicKey}}: the request
 *       options, and the handle the answer must come back with; a browser also gets the handle in
 *       an {@code HttpOnly} cookie, which its page's script never sees.</li>
 *   <li>{@code POST /auth/login/passkey} with JSON {@code {credential: <PublicKeyCredential.toJSON()>,
 *       handle?, return_to?}}. The handle's channel decides the session's: an app that sent the
 *       handle in the body gets the session token, access and refresh tokens as from
 *       {@code POST /auth/login}; a browser whose handle came in the cookie gets the session cookie
 *       and {@code {return_to}} (same-origin paths only), which its page then opens.</li>
 * </ul>
 *
 * Every refusal is the same 401 {@link #REJECTED}, audited with its reason (a counter that went
 * back also as {@code passkey.clone_suspected}); a malformed body is 400. Only JSON is taken, which
 * no foreign page can send here without CORS allowing it. Stateless.
 */
final class PasskeySignInHandler {

  static final Problem REJECTED = new Problem(401, "passkey-rejected", "Unauthorized",
      "The passkey could not be verified, or the account cannot sign in.");

  private final PasskeySignIn signIn;
  private final Sessions sessions;
  private final SessionCookies cookies;
  private final AccountAudit audit;
  private final LoginTokens tokens;

  PasskeySignInHandler(PasskeySignIn signIn, Sessions sessions, SessionCookies cookies, AccountAudit audit,
      LoginTokens tokens) {
    this.signIn = signIn;
    this.sessions = sessions;
    this.cookies = cookies;
    this.audit = audit;
    this.tokens = tokens;
  }

  Endpoint.Handler options() {
    return request -> signIn.assertions().options().map(options -> {
      ObjectNode body = Json.object().put("handle", options.handle());
      body.set("publicKey", WebAuthnOptionsJson.request(options));
      return Response.status(200)
          .cookie(cookies.passkeyCeremony(request.https(), options.handle(), options.timeout().toSeconds()))
          .header(HttpHeaderNames.CACHE_CONTROL, "no-store")
          .json(body)
          .build();
    });
  }

  Endpoint.Handler signIn() {
    return request -> {
      if (!request.isJson()) {
        return Future.failedFuture(new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE));
      }
      ObjectNode json = RequestBody.jsonObject(request.body());
      String credential = PasskeyRegistrationHandler.credentialJson(json);
      String bodyHandle = RequestBody.string(json, "handle");
      boolean browser = bodyHandle == null;
      String handle = browser ? request.cookie(cookies.passkeyCeremonyCookieName(request.https())) : bodyHandle;
      String returnTo = LoginPage.safeReturnTo(RequestBody.string(json, "return_to"));
      return signIn.signIn(handle, credential, request.header(HttpHeaderNames.USER_AGENT), request.clientAddress())
          .onFailure(failure -> audited(request, failure))
          .compose(signedIn -> {
            String userId = signedIn.verified().user().id();
            audit.success(request, "login", userId, "method=passkey credential="
                + Passkey.shortId(signedIn.verified().passkey().credentialId()));
            if (browser) {
              return Future.succeededFuture(Response.status(200)
                  .cookie(cookies.session(request.https(), signedIn.session().token()))
                  .cookie(cookies.passkeyCeremony(request.https(), "", 0))
                  .header(HttpHeaderNames.CACHE_CONTROL, "no-store")
                  .json(Json.object().put("return_to", returnTo))
                  .build());
            }
            ObjectNode body = Json.object()
                .put("session_token", signedIn.session().token())
                .put("token_type", "Bearer")
                .put("expires_in", sessions.idleTimeout().toSeconds());
            return tokens.issue(signedIn.verified().user(), signedIn.session().session()).map(extra -> {
              extra.forEach(body::putPOJO);
              return Response.status(200).header(HttpHeaderNames.CACHE_CONTROL, "no-store").json(body).build();
            });
          });
    };
  }

  private void audited(Request request, Throwable failure) {
    if (failure instanceof PasskeyRejected rejected) {
      audit.failure(request, "login", rejected.userId(), "method=passkey reason=" + rejected.reason());
      if (rejected.reason().equals("counter_regression")) {
        // WebAuthn §7.2 step 21: a signal that the authenticator may have been cloned.
        audit.record(request, "passkey.clone_suspected", "refused", rejected.userId(), null);
      }
    }
  }
}
