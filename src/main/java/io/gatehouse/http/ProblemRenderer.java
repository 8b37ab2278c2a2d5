package io.gatehouse.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Map;

/**
 * Renders a {@link Problem} as RFC 9457 {@code application/problem+json} with the request id and
 * the W3C trace id (extension members {@code request_id} and {@code trace_id}, RFC 9457 §3.2):
 * the one way the gateway answers with an error. A 401 carries the RFC 6750 challenge. OAuth
 * endpoints answer RFC 6749 error JSON instead ({@code oauth.OAuthHttp}). Thread-safe.
 */
public final class ProblemRenderer {

  public static final String CONTENT_TYPE = "application/problem+json";

  public Response response(Problem problem, String requestId, String traceId) {
    return builder(problem, requestId, traceId).build();
  }

  /** The problem's response, to add headers to (such as {@code Allow} on a 405). */
  public Response.Builder builder(Problem problem, String requestId, String traceId) {
    Response.Builder response = Response.status(problem.status())
        .header(HttpHeaderNames.CACHE_CONTROL, "no-store");
    if (problem.challenge() != null) {
      response.header(HttpHeaderNames.WWW_AUTHENTICATE, problem.challenge());
    } else if (problem.status() == 401) {
      response.header(HttpHeaderNames.WWW_AUTHENTICATE, Problem.BEARER_REALM);
    }
    return response.body(body(problem, requestId, traceId), CONTENT_TYPE);
  }

  static byte[] body(Problem problem, String requestId, String traceId) {
    ObjectNode json = Json.object()
        .put("type", problem.type())
        .put("title", problem.title())
        .put("status", problem.status())
        .put("detail", problem.detail())
        .put("request_id", requestId)
        .put("trace_id", traceId);
    for (Map.Entry<String, Object> extension : problem.extensions().entrySet()) {
      json.putPOJO(extension.getKey(), extension.getValue());
    }
    return Json.bytes(json);
  }
}
