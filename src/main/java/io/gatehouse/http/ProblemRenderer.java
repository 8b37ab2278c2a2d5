package io.gatehouse.http;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes a {@link Problem} as RFC 9457 {@code application/problem+json} with the request id.
 * The one way the gateway answers with an error; OAuth endpoints get their RFC 6749 renderer later.
 */
public final class ProblemRenderer {

  public static final String CONTENT_TYPE = "application/problem+json";

  private final SecurityHeaders securityHeaders;

  public ProblemRenderer(SecurityHeaders securityHeaders) {
    this.securityHeaders = securityHeaders;
  }

  public Buffer body(Problem problem, String requestId) {
    JsonObject json = new JsonObject()
        .put("type", problem.type())
        .put("title", problem.title())
        .put("status", problem.status())
        .put("detail", problem.detail())
        .put("request_id", requestId);
    problem.extensions().forEach(json::put);
    return json.toBuffer();
  }

  /**
   * Answers {@code request} with {@code problem} unless a response head was already sent, in
   * which case the connection is reset: a half-sent response must not look complete.
   */
  public void render(HttpServerRequest request, Problem problem, String requestId) {
    HttpServerResponse response = request.response();
    if (response.headWritten() || response.ended() || response.closed()) {
      if (!response.ended()) {
        response.reset();
      }
      return;
    }
    response.setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (problem.status() == 401) {
      response.putHeader("WWW-Authenticate", "Bearer realm=\"gatehouse\"");
    }
    // An unread body would otherwise have to be drained before the connection could carry the next request.
    boolean close = problem.closesConnection() || (hasBody(request) && !request.isEnded());
    if (close) {
      response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    request.resume();
    response.end(body(problem, requestId)).onComplete(done -> {
      if (close) {
        request.connection().close();
      }
    });
  }

  /** Whether the request declares a body: Content-Length above 0, or Transfer-Encoding (RFC 9112 §6.3). */
  static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return request.headers().contains(HttpHeaders.TRANSFER_ENCODING) || (length != null && !length.equals("0"));
  }

  /**
   * A complete HTTP/1.1 response as bytes, for the rare answer written below the HTTP codec (a
   * request head that never finished arriving has no request object to answer through).
   */
  public byte[] raw(Problem problem, String requestId, boolean https) {
    byte[] body = body(problem, requestId).getBytes();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
        .add(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length))
        .add(HttpHeaders.CACHE_CONTROL, "no-store")
        .add(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    securityHeaders.apply(headers, requestId, https, System.nanoTime());
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(problem.status()).append(' ').append(problem.title()).append("\r\n");
    for (Map.Entry<String, String> header : headers) {
      head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
    }
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, out, 0, headBytes.length);
    System.arraycopy(body, 0, out, headBytes.length, body.length);
    return out;
  }
}
