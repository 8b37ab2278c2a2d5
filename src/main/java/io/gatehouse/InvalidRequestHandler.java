package io.gatehouse;

import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemRenderer;
import io.gatehouse.http.RequestIds;
import io.gatehouse.http.SecurityHeaders;
import io.gatehouse.observability.AccessLog;
import io.gatehouse.observability.AccessRecord;
import io.gatehouse.observability.RequestMetrics;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers requests the HTTP decoder could not parse (431 headers too large, 414 request line too
 * long, 400 otherwise) with the same problem body, headers and access-log line as every other
 * response, then closes the connection, since the byte stream can no longer be trusted.
 */
final class InvalidRequestHandler implements Handler<HttpServerRequest> {

  private final SecurityHeaders headers;
  private final ProblemRenderer renderer;
  private final AccessLog accessLog;
  private final RequestMetrics metrics;

  InvalidRequestHandler(SecurityHeaders headers, ProblemRenderer renderer, AccessLog accessLog, RequestMetrics metrics) {
    this.headers = headers;
    this.renderer = renderer;
    this.accessLog = accessLog;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpServerRequest request) {
    long start = System.nanoTime();
    String requestId = RequestIds.generate();
    Throwable cause = request.decoderResult().cause();
    Problem problem = cause instanceof TooLongHttpHeaderException ? Problem.HEADERS_TOO_LARGE
        : cause instanceof TooLongHttpLineException ? Problem.URI_TOO_LONG
        : Problem.BAD_REQUEST;
    request.response().headersEndHandler(v -> headers.apply(request.response().headers(), requestId, request.isSSL(), start));
    request.response().endHandler(v -> {
      long nanos = System.nanoTime() - start;
      metrics.request(null, problem.status(), nanos);
      String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
      accessLog.record(new AccessRecord(requestId, request.method() == null ? null : request.method().name(), null, null,
          problem.status(), request.response().bytesWritten(), nanos / 1e6, -1, null, null, peer));
      request.connection().close();
    });
    renderer.render(request, problem, requestId);
  }
}
