package io.gatehouse.identity.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Json;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.RequestBody;
import io.gatehouse.http.Response;
import io.gatehouse.identity.Accounts;
import io.gatehouse.identity.LoginThrottle;
import io.gatehouse.identity.LoginTokens;
import io.gatehouse.identity.SessionCookies;
import io.gatehouse.identity.Sessions;
import io.gatehouse.identity.User;
import io.gatehouse.identity.PendingSignIn;
import io.gatehouse.identity.PendingSignIns;
import io.gatehouse.identity.SecondFactors;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;
import io.gatehouse.config.AuthLevel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /auth/login}. JSON {@code {username, password}} answers 200 with a bearer session
 * token; the login page's form answers with the session cookie and a 303 to a same-origin
 * {@code return_to}. Every failure (wrong password, unknown or disabled user) gets one answer. The
 * form's login-CSRF proof is the endpoint's declared policy ({@link #FORM_CSRF}), checked by the
 * guard before this runs. A user with a second factor (or, with {@code identity.mfa: required},
 * without one yet) is not signed in by the password alone: the form goes on to {@code /auth/mfa} (or
 * {@code /auth/mfa/enrol}) with a half-done sign-in's cookie, and JSON answers 401
 * {@code second-factor-required} with its {@code mfa_token}. A password sign-in's session has amr
 * {@code ["pwd"]}.
 */
public final class LoginHandler implements Endpoint.Handler {

  static final String FAILED = "The username or password is not correct.";
  /** The form field that carries the double-submit token (its cookie is {@link SessionCookies#loginCsrfCookieName}). */
  static final String CSRF_FIELD = "csrf_token";

  private final Accounts accounts;
  private final Sessions sessions;
  private final SessionCookies cookies;
  private final LoginPage page;
  private final AccountAudit audit;
  private final LoginTokens tokens;
  private final LoginThrottle throttle;
  private final SecondFactors secondFactors;
  private final PendingSignIns pendingSignIns;
  private final boolean mfaRequired;

  /**
   * @param mfaRequired {@code identity.mfa: required}: a user without a second factor enrols before
   *     any session starts
   */
  public LoginHandler(Accounts accounts, Sessions sessions, SessionCookies cookies, LoginPage page, AccountAudit audit,
      LoginTokens tokens, LoginThrottle throttle, SecondFactors secondFactors, PendingSignIns pendingSignIns,
      boolean mfaRequired) {
    this.secondFactors = secondFactors;
    this.pendingSignIns = pendingSignIns;
    this.mfaRequired = mfaRequired;
    this.throttle = throttle;
    this.accounts = accounts;
    this.sessions = sessions;
    this.cookies = cookies;
    this.page = page;
    this.audit = audit;
    this.tokens = tokens;
  }

  @Override
  public Future<Response> handle(Request request) {
    if (request.isJson()) {
      return json(request);
    }
    if (request.isForm()) {
      return form(request);
    }
    return Future.failedFuture(new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE.withDetail(
        "The request body must be JSON or an HTML form.")));
  }

  private Future<Response> json(Request request) {
    ObjectNode json = RequestBody.jsonObject(request.body());
    String username = RequestBody.requiredString(json, "username");
    String password = RequestBody.requiredString(json, "password");
    return throttled(request, username).compose(admission -> !admission.admitted()
        ? Future.failedFuture(new ProblemException(Problem.TOO_MANY_REQUESTS.withDetail(
            "Too many failed sign-ins; try again after the time in Retry-After."), admission.waitSeconds()))
        : login(request, username, password, admission, "/")).compose(issued -> {
      if (issued.isEmpty()) {
        return Future.failedFuture(new ProblemException(Problem.INVALID_CREDENTIALS));
      }
      if (issued.get().pending() != null) {
        // The password was right; the second factor is still to come (POST /auth/mfa or /auth/mfa/enrol).
        PendingSignIn pending = issued.get().pending().pending();
        boolean enrol = pending.purpose() == PendingSignIn.Purpose.ENROL;
        return Future.failedFuture(new ProblemException(new Problem(401,
            enrol ? "second-factor-enrolment-required" : "second-factor-required", "Unauthorized",
            enrol ? "Enrol a second factor: POST /auth/mfa/enrol with this mfa_token."
                : "Send a code of the second factor: POST /auth/mfa with this mfa_token and the code.",
            Map.of(SecondFactorSignIn.MFA_TOKEN, issued.get().pending().token(),
                "expires_in", PendingSignIns.LIFETIME.toSeconds()))));
      }
      ObjectNode body = Json.object()
          .put("session_token", issued.get().token())
          .put("token_type", "Bearer")
          .put("expires_in", sessions.idleTimeout().toSeconds());
      return tokens.issue(issued.get().user(), issued.get().session().session()).map(extra -> {
        extra.forEach(body::putPOJO);
        return Response.json(200, body);
      });
    });
  }

  private Future<Response> form(Request request) {
    Map<String, String> fields = RequestBody.form(request.body());
    String returnTo = LoginPage.safeReturnTo(fields.get("return_to"));
    String formToken = fields.get(CSRF_FIELD); // the guard checked it against its cookie: the page keeps both
    String username = fields.get("username");
    return throttled(request, username).compose(admission -> !admission.admitted()
        ? Future.succeededFuture(page.page(429, null, formToken, returnTo,
            "Too many failed sign-ins. Please try again in " + admission.waitSeconds()
                + (admission.waitSeconds() == 1 ? " second." : " seconds."), username)
            .with(HttpHeaderNames.RETRY_AFTER, Long.toString(admission.waitSeconds())))
        : login(request, username, fields.get("password"), admission, returnTo).map(issued -> {
          if (issued.isEmpty()) {
            return page.page(401, null, formToken, returnTo, FAILED, username);
          }
          if (issued.get().pending() != null) {
            boolean enrol = issued.get().pending().pending().purpose() == PendingSignIn.Purpose.ENROL;
            return Response.status(303)
                .cookie(cookies.pendingSignIn(request.https(), issued.get().pending().token()))
                .header(HttpHeaderNames.LOCATION, enrol ? EnrolmentHandler.PATH : SecondFactorHandler.PATH)
                .header(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .build();
          }
          return Response.status(303)
              .cookie(cookies.session(request.https(), issued.get().token()))
              .header(HttpHeaderNames.LOCATION, returnTo)
              .header(HttpHeaderNames.CACHE_CONTROL, "no-store")
              .build();
        }));
  }

  /** Who logged in, and the session started for them, or the sign-in that waits on their second factor. */
  private record LoggedIn(User user, Sessions.Issued session, PendingSignIns.Started pending) {
    String token() {
      return session.token();
    }
  }

  /**
   * The throttle's word on the attempt before its password is even checked (a refusal audited to
   * the log stream only: anyone can cause it in bulk); an admitted attempt is counted.
   */
  private Future<LoginThrottle.Admission> throttled(Request request, String username) {
    return throttle.admit(username, request.clientAddress()).andThen(decided -> {
      LoginThrottle.Admission admission = decided.result();
      if (decided.succeeded() && !admission.admitted()) {
        audit.refused(request, "login.throttled", null,
            "scope=" + admission.scope() + " retry_after=" + admission.waitSeconds());
      }
    });
  }

  /**
   * Checks the credentials and starts a session; empty (and audited) when they do not admit anyone.
   *
   * @param admission the throttle's count of this attempt, whose delay is audited when it fails
   */
  private Future<Optional<LoggedIn>> login(Request request, String username, String password,
      LoginThrottle.Admission admission, String returnTo) {
    return accounts.authenticate(username, password).compose(attempt -> {
      User user = attempt.admitted();
      if (user == null) {
        audit.failure(request, "login", attempt.accountId(), "invalid_credentials");
        if (admission.delayIfFailed() > 0) {
          // Stored once per failure beyond the free ones: each of those had to wait out the one before.
          audit.record(request, "login.throttle", "delayed", attempt.accountId(),
              "scope=" + admission.delayScope() + " delay=" + admission.delayIfFailed());
        }
        return Future.succeededFuture(Optional.<LoggedIn>empty());
      }
      List<String> amr = List.of(AuthLevel.PASSWORD);
      return throttle.succeeded(username, request.clientAddress())
          .compose(reset -> secondFactors.has(user.id()))
          .compose(hasFactor -> {
            if (hasFactor || mfaRequired) {
              // Not signed in yet: a half-done sign-in that no route admits, until the second factor.
              PendingSignIn.Purpose purpose = hasFactor ? PendingSignIn.Purpose.VERIFY : PendingSignIn.Purpose.ENROL;
              return pendingSignIns.start(user, purpose, amr, returnTo).map(started -> {
                audit.record(request, "login.password", "success", user.id(),
                    "second_factor=" + (hasFactor ? "required" : "enrolment_required"));
                return Optional.of(new LoggedIn(user, null, started));
              });
            }
            String device = request.header(HttpHeaderNames.USER_AGENT);
            return sessions.start(user, amr, device, request.clientAddress()).map(issued -> {
              audit.success(request, "login", user.id(), null);
              return Optional.of(new LoggedIn(user, issued, null));
            });
          });
    });
  }
}
