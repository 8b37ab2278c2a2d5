package io.gatehouse.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's one failure handler: a {@link ProblemException} is rendered as its problem, an
 * HTTP status from vertx-web as the matching problem, and anything else as a 500 whose cause is
 * logged (with the request id) but never sent.
 */
public final class FailureHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  private final ProblemRenderer renderer;

  public FailureHandler(ProblemRenderer renderer) {
    this.renderer = renderer;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Exchange exchange = Exchange.of(ctx);
    String requestId = exchange == null ? RequestIds.generate() : exchange.requestId();
    Throwable failure = ctx.failure();
    Problem problem;
    if (failure instanceof ProblemException p) {
      problem = p.problem();
    } else if (failure instanceof HttpException h) {
      problem = forStatus(h.getStatusCode());
    } else if (failure == null) {
      problem = forStatus(ctx.statusCode());
    } else {
      LOG.error("unhandled failure, request_id={}", requestId, failure);
      problem = Problem.INTERNAL;
    }
    renderer.render(ctx.request(), problem, requestId);
  }

  static Problem forStatus(int status) {
    return switch (status) {
      case 400 -> Problem.BAD_REQUEST;
      case 401 -> Problem.UNAUTHORIZED;
      case 403 -> Problem.FORBIDDEN;
      case 404 -> Problem.NOT_FOUND;
      case 408 -> Problem.REQUEST_TIMEOUT;
      case 413 -> Problem.PAYLOAD_TOO_LARGE;
      case 414 -> Problem.URI_TOO_LONG;
      case 431 -> Problem.HEADERS_TOO_LARGE;
      case 502 -> Problem.BAD_GATEWAY;
      case 503 -> Problem.UNAVAILABLE;
      case 504 -> Problem.GATEWAY_TIMEOUT;
      default -> Problem.INTERNAL;
    };
  }
}
