package io.gatehouse.http;

import io.gatehouse.config.LimitsConfig;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Pipeline stage for request limits that need a parsed head: a declared body over
 * {@code max_body_bytes} gets 413 before anything is read, and a body that has not fully arrived
 * {@code request_timeout} after the head gets 408. (Header size is enforced by the HTTP decoder,
 * the head's own deadline by {@link RequestHeadTimeout}, and chunked bodies are counted as they stream.)
 */
public final class LimitsHandler implements Handler<RoutingContext> {

  private final LimitsConfig limits;
  private final ProblemRenderer renderer;

  public LimitsHandler(LimitsConfig limits, ProblemRenderer renderer) {
    this.limits = limits;
    this.renderer = renderer;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && declaredLength(length) > limits.maxBodyBytes()) {
      ctx.fail(new ProblemException(Problem.PAYLOAD_TOO_LARGE));
      return;
    }
    // Without Content-Length or Transfer-Encoding there is no body (RFC 9112 §6.3), so nothing to time.
    if (ProblemRenderer.hasBody(request) && !request.isEnded()) {
      String requestId = Exchange.of(ctx).requestId();
      long timer = ctx.vertx().setTimer(limits.requestTimeout().toMillis(), id -> {
        if (!request.isEnded()) {
          renderer.render(request, Problem.REQUEST_TIMEOUT, requestId);
        }
      });
      ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
    }
    ctx.next();
  }

  /** The HTTP decoder has already refused malformed lengths; anything unparsable here counts as too large. */
  private static long declaredLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
