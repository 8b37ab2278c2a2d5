package io.gatehouse.oauth.web;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import io.gatehouse.http.FailureMapper;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.ProblemFormat;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.gatehouse.oauth.InvalidGrant;
import io.gatehouse.oauth.OAuthError;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;
import java.util.Map;

/**
 * The OAuth endpoints' errors (RFC 6749 §5.2), in one place: {@link #FAILURES} maps the oauth
 * capability's refusals ({@link OAuthError}, {@link InvalidGrant}) to problems carrying their error
 * code, and {@link #FORMAT} renders problems at the token, introspection and revocation endpoints
 * as RFC 6749 JSON with {@code Cache-Control: no-store}: those problems with their code, and the
 * guard's 401 (no client credential, or a bearer token where a client must authenticate) as
 * {@code invalid_client} with a {@code Basic} challenge. Other problems there (a rate limit, a
 * store outage, a body too large) stay problem+json. Descriptions are ours and never echo input.
 */
public final class OAuthErrors {

  /** The problem extension that carries the RFC 6749 error code. */
  private static final String ERROR = "error";
  static final String BASIC_CHALLENGE = "Basic realm=\"gatehouse\"";

  /** Maps the oauth capability's refusals to problems; registered with the pipeline at the root. */
  public static final FailureMapper FAILURES = failure -> {
    if (failure instanceof InvalidGrant) {
      return new ProblemException(problem(OAuth2Error.INVALID_GRANT.setDescription("The grant is not valid."), null));
    }
    if (failure instanceof OAuthError refused) {
      return new ProblemException(problem(refused.error(), refused.challenge()));
    }
    return null;
  };

  /** Renders problems as RFC 6749 §5.2 JSON at the endpoints OAuth clients call directly. */
  public static final ProblemFormat FORMAT = OAuthErrors::render;

  private OAuthErrors() {
  }

  /** A failed future with {@code error}, for an endpoint to answer. */
  static <T> Future<T> refuse(ErrorObject error) {
    return Future.failedFuture(new OAuthError(error));
  }

  /** The problem an RFC 6749 error is, its code kept for {@link #FORMAT}. */
  static Problem problem(ErrorObject error, String challenge) {
    String code = error.getCode();
    int status = error.getHTTPStatusCode() > 0 ? error.getHTTPStatusCode() : 400;
    return new Problem(status, "oauth-" + code.replace('_', '-'), code,
        error.getDescription() != null ? error.getDescription() : "The OAuth request was refused.",
        Map.of(ERROR, code), challenge);
  }

  private static Response render(Problem problem, Request request) {
    Object code = problem.extensions().get(ERROR);
    if (code != null) {
      ErrorObject error = new ErrorObject(code.toString(), problem.detail(), problem.status());
      Response answer = OAuthHttp.response(new TokenErrorResponse(error).toHTTPResponse());
      return problem.challenge() == null ? answer : answer.with(HttpHeaderNames.WWW_AUTHENTICATE, problem.challenge());
    }
    if (problem.status() == 401) {
      // RFC 6749 §5.2: a client that did not authenticate (or offered a bearer token) is invalid_client.
      return OAuthHttp.response(new TokenErrorResponse(OAuth2Error.INVALID_CLIENT).toHTTPResponse())
          .with(HttpHeaderNames.WWW_AUTHENTICATE, BASIC_CHALLENGE);
    }
    return null;
  }
}
