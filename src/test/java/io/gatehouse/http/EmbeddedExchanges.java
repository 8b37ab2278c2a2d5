package io.gatehouse.http;

import io.gatehouse.config.RouteSelector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;

/**
 * Runs raw HTTP/1.1 requests through a real {@link Pipeline} on Netty's {@code EmbeddedChannel}:
 * no socket, no event loop of its own, every stage as the server runs it. For unit tests of what
 * a route's stages decide.
 */
public final class EmbeddedExchanges {

  private EmbeddedExchanges() {
  }

  /**
   * A pipeline whose every request takes one route at {@code /x}, with {@code guard} as its guard
   * stage, answering 200 with the admitted subject (or {@code -}) as its body.
   */
  public static Pipeline guarded(Stage guard) {
    return pipeline(guard, exchange -> exchange.respond(Response.status(200).body((exchange.principal() == null ? "-"
        : exchange.principal().subject()).getBytes(StandardCharsets.UTF_8), "text/plain").build()));
  }

  /** As {@link #guarded}, with the body gathered before the guard (as for a built-in endpoint's form). */
  public static Pipeline guardedReadingBody(Stage guard) {
    return pipeline(Route.of(RouteSelector.builtin("test:x", "/x"))
        .bodyBeforeGuard(Endpoint.DEFAULT_MAX_BODY_BYTES)
        .guard(guard)
        .target(exchange -> exchange.respond(Response.status(200).body((exchange.principal() == null ? "-"
            : exchange.principal().subject()).getBytes(StandardCharsets.UTF_8), "text/plain").build()))
        .build());
  }

  /** As {@link #guarded}, answered by {@code target}. */
  public static Pipeline pipeline(Stage guard, RouteTarget target) {
    return pipeline(Route.of(RouteSelector.builtin("test:x", "/x"))
        .guard(guard)
        .target(target)
        .build());
  }

  private static Pipeline pipeline(Route route) {
    return Pipeline.builder()
        .requestId(new RequestIdStage(new TrustedProxies(java.util.List.of())))
        .limits(new RequestLimits(new io.gatehouse.config.LimitsConfig(16 * 1024, 1024 * 1024,
            java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(30), 100, 256)))
        .cors(Stage.PASS)
        .routing(exchange -> {
          exchange.path("/x");
          exchange.match(new RouteMatch<>(route, "/x", "/x"));
          return Stage.CONTINUE;
        })
        .problems(new ProblemRenderer())
        .securityHeaders(new SecurityHeaders(0))
        .maxBodyBytes(1024 * 1024)
        .build();
  }

  /** The response to {@code request} (raw bytes, CRLF lines), as the client would read it. */
  public static String exchange(Pipeline pipeline, String request) {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.pipeline().addLast(new HttpServerCodec(), new ExchangeHandler(() -> pipeline, new Connection(channel, null, false),
        null));
    channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
    channel.runPendingTasks();
    StringBuilder out = new StringBuilder();
    ByteBuf bytes;
    while ((bytes = channel.readOutbound()) != null) {
      out.append(bytes.toString(StandardCharsets.ISO_8859_1));
      bytes.release();
    }
    channel.finishAndReleaseAll();
    return out.toString();
  }

  /** The status code of a raw response. */
  public static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }
}
