package io.gatehouse.identity.web;

import io.gatehouse.http.Endpoint;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.RequestBody;
import io.gatehouse.http.Response;
import io.gatehouse.identity.SecondFactors;
import io.gatehouse.identity.SecretTokens;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code /auth/mfa}: the second step of a sign-in, and the step-up of a signed-in user (RFC 9470:
 * the page a route whose {@code auth_level} the session does not meet sends the browser to). GET
 * shows the code form; POST takes a TOTP code or a recovery code — as a form (browser, with the
 * login page's double-submit CSRF proof) or as JSON {@code {mfa_token, code}} (apps) — and starts the
 * session with amr {@code ["pwd","otp"]}. Every attempt is throttled like a password, and a
 * half-done sign-in takes at most {@code PendingSignIns.MAX_ATTEMPTS} wrong codes. A wrong code, a
 * replayed one and a spent recovery code get one answer; the audit log tells them apart.
 */
public final class SecondFactorHandler implements Endpoint.Handler {

  /** Where a browser is sent to step up, with {@code return_to}. */
  public static final String PATH = "/auth/mfa";
  static final String EVENT = "login.second_factor";

  private final SecondFactorSignIn flow;
  private final SecondFactorPage page;
  private final SecretTokens secrets = new SecretTokens();

  SecondFactorHandler(SecondFactorSignIn flow, SecondFactorPage page) {
    this.flow = flow;
    this.page = page;
  }

  @Override
  public Future<Response> handle(Request request) {
    return request.method().equals(HttpMethod.GET) ? show(request) : submit(request);
  }

  private Future<Response> show(Request request) {
    String returnTo = LoginPage.safeReturnTo(request.queryParam("return_to"));
    return flow.resolve(request, flow.pendingToken(request, null), returnTo).compose(caller -> {
      if (caller == null) {
        return Future.succeededFuture(toSignIn(returnTo));
      }
      return flow.services.secondFactors().has(caller.user().id()).map(has -> {
        if (!has) {
          // Nothing to verify with yet: a signed-in user enrols one to step up.
          return Response.redirect(303, EnrolmentHandler.PATH + "?return_to="
              + URLEncoder.encode(caller.returnTo(), StandardCharsets.UTF_8));
        }
        String csrf = secrets.newToken();
        return page.verify(200, flow.services.cookies().loginCsrf(request.https(), csrf), csrf, caller.returnTo(), null);
      });
    });
  }

  private Future<Response> submit(Request request) {
    SecondFactorSignIn.Submission posted = SecondFactorSignIn.Submission.of(request);
    boolean json = posted.isJson();
    String code = json ? RequestBody.requiredString(posted.json(), "code") : posted.form().get("code");
    String returnTo = posted.returnTo();
    return flow.resolve(request, flow.pendingToken(request, posted.json()), returnTo).compose(caller -> {
      if (caller == null) {
        return json ? Future.failedFuture(new ProblemException(SecondFactorSignIn.SIGN_IN_AGAIN))
            : Future.succeededFuture(toSignIn(returnTo));
      }
      return flow.admitAttempt(request, caller)
          .compose(admitted -> flow.services.secondFactors().verify(caller.user().id(), code))
          .compose(outcome -> {
            if (!outcome.accepted()) {
              flow.refusedCode(request, caller, EVENT, outcome);
              if (json) {
                return Future.failedFuture(new ProblemException(SecondFactorSignIn.INVALID_CODE));
              }
              String csrf = posted.form().get(LoginHandler.CSRF_FIELD); // checked by the guard: the page keeps it
              return Future.succeededFuture(page.verify(401, null, csrf, caller.returnTo(),
                  "That code is not correct. Please try again."));
            }
            String method = outcome == SecondFactors.Outcome.TOTP ? "totp" : "recovery_code";
            return flow.finish(request, caller, EVENT, method).compose(issued -> json
                ? flow.json(caller, issued, Map.of())
                : Future.succeededFuture(flow.redirect(request, issued, caller.returnTo())));
          })
          .recover(failure -> !json && failure instanceof ProblemException refused
              && refused.problem() == SecondFactorSignIn.SIGN_IN_AGAIN
              ? Future.succeededFuture(toSignIn(caller.returnTo())) : Future.failedFuture(failure));
    });
  }

  /** Back to the password: there is no sign-in under way here. */
  static Response toSignIn(String returnTo) {
    return Response.redirect(303, "/auth/login?return_to=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8));
  }
}
