package io.gatehouse.identity.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Json;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.RequestBody;
import io.gatehouse.http.Response;
import io.gatehouse.identity.PendingSignIn;
import io.gatehouse.identity.SecretTokens;
import io.gatehouse.identity.Session;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code /auth/mfa/enrol}: turning on TOTP, for a signed-in user, or for one whose sign-in waits on
 * it ({@code identity.mfa: required}). GET shows a new secret once, as a QR code and as text; POST
 * as JSON without {@code code} answers a new secret ({@code secret}, {@code otpauth_uri}); POST
 * with the first {@code code} of the app confirms it, answers the ten recovery codes once, and
 * starts the session with amr {@code ["pwd","otp"]}. A user who has a factor already gets 409: an
 * administrator resets it first. Attempts are throttled like the codes of {@link SecondFactorHandler}.
 */
public final class EnrolmentHandler implements Endpoint.Handler {

  public static final String PATH = "/auth/mfa/enrol";
  static final String EVENT = "mfa.enrol";
  static final Problem ENROLLED = new Problem(409, "factor-enrolled", "Conflict",
      "A second factor is enrolled already; it must be reset before another is.");
  /**
   * A session older than {@link Session#FRESH_SIGN_IN} does not enrol: whoever holds a stolen
   * session must not bind their own authenticator to the account, so the user signs in again first.
   */
  static final Problem SIGN_IN_FIRST = FreshSignIn.REQUIRED.withDetail(
      "Sign in again with your password to set up two-step sign-in.");

  private final SecondFactorSignIn flow;
  private final SecondFactorPage page;
  private final SecretTokens secrets = new SecretTokens();
  private final FreshSignIn fresh;

  EnrolmentHandler(SecondFactorSignIn flow, SecondFactorPage page) {
    this.flow = flow;
    this.page = page;
    this.fresh = new FreshSignIn(flow.audit, flow.services.clock());
  }

  @Override
  public Future<Response> handle(Request request) {
    return request.method().equals(HttpMethod.GET) ? show(request) : submit(request);
  }

  private Future<Response> show(Request request) {
    String returnTo = LoginPage.safeReturnTo(request.queryParam("return_to"));
    return resolve(request, null, returnTo).compose(caller -> {
      if (caller == null) {
        return Future.succeededFuture(SecondFactorHandler.toSignIn(returnTo));
      }
      if (stale(request, caller)) {
        return Future.succeededFuture(signInAgain(caller));
      }
      return flow.services.secondFactors().beginTotp(caller.user()).map(enrolment -> {
        if (enrolment.isEmpty()) {
          return page.message(409, List.of(), "Two-step sign-in is on",
              "Your account has an authenticator already.", caller.returnTo());
        }
        flow.audit.success(request, EVENT + ".begin", caller.user().id(), null);
        String csrf = secrets.newToken();
        return page.enrol(200, flow.services.cookies().loginCsrf(request.https(), csrf), csrf, caller.returnTo(),
            enrolment.get().secret(), enrolment.get().uri(), null);
      });
    });
  }

  private Future<Response> submit(Request request) {
    SecondFactorSignIn.Submission posted = SecondFactorSignIn.Submission.of(request);
    boolean json = posted.isJson();
    String code = json ? RequestBody.string(posted.json(), "code") : posted.form().get("code");
    String returnTo = posted.returnTo();
    return resolve(request, posted.json(), returnTo).compose(caller -> {
      if (caller == null) {
        return json ? Future.failedFuture(new ProblemException(SecondFactorSignIn.SIGN_IN_AGAIN))
            : Future.succeededFuture(SecondFactorHandler.toSignIn(returnTo));
      }
      if (stale(request, caller)) {
        return json ? Future.failedFuture(new ProblemException(SIGN_IN_FIRST))
            : Future.succeededFuture(signInAgain(caller));
      }
      if (json && code == null) {
        return flow.services.secondFactors().beginTotp(caller.user()).compose(enrolment -> {
          if (enrolment.isEmpty()) {
            return Future.failedFuture(new ProblemException(ENROLLED));
          }
          flow.audit.success(request, EVENT + ".begin", caller.user().id(), null);
          return Future.succeededFuture(Response.json(200, Json.object().put("secret", enrolment.get().secret())
              .put("otpauth_uri", enrolment.get().uri())));
        });
      }
      return flow.admitAttempt(request, caller)
          .compose(admitted -> flow.services.secondFactors().confirmTotp(caller.user(), code))
          .compose(confirmed -> {
            if (confirmed.isEmpty()) {
              flow.audit.failure(request, EVENT, caller.user().id(), "wrong_code");
              return json ? Future.failedFuture(new ProblemException(SecondFactorSignIn.INVALID_CODE))
                  : Future.succeededFuture(page.message(401, List.of(), "Set up two-step sign-in",
                      "That code did not match. Please scan the new QR code and try again.",
                      EnrolmentHandler.PATH + "?return_to=" + URLEncoder.encode(caller.returnTo(),
                          StandardCharsets.UTF_8)));
            }
            List<String> codes = confirmed.get();
            return flow.finish(request, caller, EVENT, "totp").compose(issued -> json
                ? flow.json(caller, issued, Map.of("recovery_codes", codes))
                : Future.succeededFuture(page.recovery(flow.cookies(request, issued), codes, caller.returnTo())));
          });
    });
  }

  /**
   * A signed-in user whose sign-in is older than {@link Session#FRESH_SIGN_IN}, audited as refused
   * (a pending sign-in is fresh).
   */
  private boolean stale(Request request, SecondFactorSignIn.Caller caller) {
    return caller.session() != null && fresh.stale(request, EVENT, caller.session());
  }

  /** To the login page, and back here once signed in again. */
  private static Response signInAgain(SecondFactorSignIn.Caller caller) {
    return SecondFactorHandler.toSignIn(PATH + "?return_to="
        + URLEncoder.encode(caller.returnTo(), StandardCharsets.UTF_8));
  }

  /** A signed-in user, or a half-done sign-in that waits on an enrolment (not one that waits on a code). */
  private Future<SecondFactorSignIn.Caller> resolve(Request request, ObjectNode json, String returnTo) {
    return flow.resolve(request, flow.pendingToken(request, json), returnTo).map(caller -> caller == null
        || caller.pending() != null && caller.pending().purpose() != PendingSignIn.Purpose.ENROL ? null : caller);
  }
}
