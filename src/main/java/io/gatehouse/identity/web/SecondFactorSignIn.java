package io.gatehouse.identity.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.AuthLevel;
import io.gatehouse.http.Json;
import io.gatehouse.http.Principal;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.RequestBody;
import io.gatehouse.http.Response;
import io.gatehouse.identity.AccountServices;
import io.gatehouse.identity.Callers;
import io.gatehouse.identity.LoginThrottle;
import io.gatehouse.identity.LoginTokens;
import io.gatehouse.identity.PendingSignIn;
import io.gatehouse.identity.SecondFactors;
import io.gatehouse.identity.Sessions;
import io.gatehouse.identity.User;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.cookie.Cookie;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part the second-factor endpoints share: who is proving a factor — a signed-in user stepping
 * up (the session the guard admitted), or a half-done sign-in (its cookie, or an app's
 * {@code mfa_token}) — and, once they have, the session that starts with the strength proven: a
 * fresh token (the step-up's old session ends), amr with {@code otp} added. Stateless.
 */
final class SecondFactorSignIn {

  static final Problem INVALID_CODE = new Problem(401, "invalid-code", "Unauthorized",
      "The code is not correct, or was used before.");
  static final Problem SIGN_IN_AGAIN = new Problem(401, "sign-in-expired", "Unauthorized",
      "This sign-in expired or had too many wrong codes: sign in again with your password.");
  /** The JSON field an app sends its pending sign-in's token in. */
  static final String MFA_TOKEN = "mfa_token";

  /**
   * Who is at the second factor.
   *
   * @param session the session being stepped up, or null
   * @param pending the half-done sign-in, or null
   */
  record Caller(User user, Sessions.Active session, PendingSignIn pending, List<String> amr, String returnTo) {
  }

  /**
   * What a POST to a second-factor page brought: a JSON body (apps) or a form (browsers).
   *
   * @param json the JSON object, or null for a form
   * @param form the form's fields (empty for JSON)
   */
  record Submission(ObjectNode json, Map<String, String> form) {

    /** @throws ProblemException 415 for a body that is neither, 400 for a malformed one */
    static Submission of(Request request) {
      if (request.isJson()) {
        return new Submission(RequestBody.jsonObject(request.body()), Map.of());
      }
      if (request.isForm()) {
        return new Submission(null, RequestBody.form(request.body()));
      }
      throw new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE.withDetail(
          "The request body must be JSON or an HTML form."));
    }

    boolean isJson() {
      return json != null;
    }

    /** The form's {@code return_to} as {@link LoginPage#safeReturnTo} leaves it ({@code /} for JSON). */
    String returnTo() {
      return LoginPage.safeReturnTo(form.get("return_to"));
    }
  }

  final AccountServices services;
  final LoginThrottle throttle;
  final AccountAudit audit;
  final LoginTokens tokens;

  SecondFactorSignIn(AccountServices services, LoginThrottle throttle, AccountAudit audit, LoginTokens tokens) {
    this.services = services;
    this.throttle = throttle;
    this.audit = audit;
    this.tokens = tokens;
  }

  /** The caller, or null when there is none (no session, no live pending sign-in). */
  Future<Caller> resolve(Request request, String pendingToken, String returnTo) {
    Principal principal = request.principal();
    Sessions.Active session = principal == null ? null : Callers.session(principal);
    if (session != null) {
      return Future.succeededFuture(new Caller(session.user(), session, null, session.session().amr(), returnTo));
    }
    return services.pendingSignIns().find(pendingToken).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(null);
      }
      PendingSignIn pending = found.get();
      return services.users().byId(pending.userId()).map(user -> user.isEmpty() || user.get().disabled() ? null
          : new Caller(user.get(), null, pending, pending.amr(), pending.returnTo()));
    });
  }

  /** The pending sign-in's token: the app's {@code mfa_token}, else the browser's cookie. */
  String pendingToken(Request request, ObjectNode json) {
    return json != null ? (json.get(MFA_TOKEN) == null ? null : json.get(MFA_TOKEN).asText(null))
        : request.cookie(services.cookies().pendingSignInCookieName(request.https()));
  }

  /**
   * Admits one attempt at a code: the throttle (per address and account), and a pending sign-in's
   * own count. Fails with 429, or with {@link #SIGN_IN_AGAIN} when the pending sign-in is spent.
   */
  Future<Void> admitAttempt(Request request, Caller caller) {
    return throttle.admitCode(caller.user().id(), request.clientAddress()).compose(admission -> {
      if (!admission.admitted()) {
        audit.refused(request, "login.second_factor.throttled", caller.user().id(),
            "scope=" + admission.scope() + " retry_after=" + admission.waitSeconds());
        return Future.failedFuture(new ProblemException(Problem.TOO_MANY_REQUESTS.withDetail(
            "Too many wrong codes; try again after the time in Retry-After."), admission.waitSeconds()));
      }
      if (caller.pending() == null) {
        return Future.succeededFuture();
      }
      return services.pendingSignIns().countAttempt(caller.pending()).compose(counted -> counted
          ? Future.<Void>succeededFuture()
          : Future.failedFuture(new ProblemException(SIGN_IN_AGAIN)));
    });
  }

  /**
   * The factor is proven: the pending sign-in is consumed (once: a second request with it fails) or
   * the stepped-up session ended, and a session starts with {@code otp} added to the amr.
   */
  Future<Sessions.Issued> finish(Request request, Caller caller, String event, String method) {
    List<String> amr = new ArrayList<>(caller.amr());
    if (!amr.contains(AuthLevel.ONE_TIME_PASSWORD)) {
      amr.add(AuthLevel.ONE_TIME_PASSWORD);
    }
    Future<Boolean> ended = caller.pending() != null ? services.pendingSignIns().finish(caller.pending())
        : services.sessions().end(caller.session().token());
    return ended.compose(won -> won ? throttle.codeSucceeded(caller.user().id(), request.clientAddress())
            : Future.failedFuture(new ProblemException(SIGN_IN_AGAIN)))
        .compose(v -> services.sessions().start(caller.user(), amr, request.header(HttpHeaderNames.USER_AGENT),
            request.clientAddress()))
        .andThen(started -> {
          if (started.succeeded()) {
            audit.success(request, event, caller.user().id(),
                "method=" + method + (caller.session() != null ? " step_up" : ""));
          }
        });
  }

  /** The JSON answer of a finished sign-in: the session token and the first-party tokens, as a login's. */
  Future<Response> json(Caller caller, Sessions.Issued issued, Map<String, Object> more) {
    ObjectNode body = Json.object()
        .put("session_token", issued.token())
        .put("token_type", "Bearer")
        .put("expires_in", services.sessions().idleTimeout().toSeconds());
    more.forEach(body::putPOJO);
    return tokens.issue(caller.user(), issued.session()).map(extra -> {
      extra.forEach(body::putPOJO);
      return Response.json(200, body);
    });
  }

  /** The cookies a finished browser sign-in gets: the new session, and the pending one cleared. */
  List<Cookie> cookies(Request request, Sessions.Issued issued) {
    return List.of(services.cookies().session(request.https(), issued.token()),
        services.cookies().clearPendingSignIn(request.https()));
  }

  /** A browser finished: to where it was going, with its session. */
  Response redirect(Request request, Sessions.Issued issued, String returnTo) {
    Response.Builder response = Response.status(303).header(HttpHeaderNames.LOCATION, returnTo)
        .header(HttpHeaderNames.CACHE_CONTROL, "no-store");
    cookies(request, issued).forEach(response::cookie);
    return response.build();
  }

  /** Audits a refused code by why; the caller's answer is the same whatever the reason. */
  void refusedCode(Request request, Caller caller, String event, SecondFactors.Outcome outcome) {
    audit.failure(request, event, caller.user().id(), switch (outcome) {
      case REPLAYED -> "replayed_code";
      case NO_FACTOR -> "no_factor";
      default -> "wrong_code";
    });
  }
}
