package io.gatehouse.http;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;

/** Exchanges for tests of what reads a request, outside any pipeline: they cannot be answered. */
public final class Exchanges {

  private static final EmbeddedChannel CHANNEL = new EmbeddedChannel();
  private static final Connection PLAIN = new Connection(CHANNEL, null, false);

  private Exchanges() {
  }

  /** A pipeline that is never run: the exchanges here are only read. */
  private static final Pipeline PIPELINE = Pipeline.builder().requestId(Stage.PASS).limits(Stage.PASS).cors(Stage.PASS)
      .routing(Stage.PASS).problems(new ProblemRenderer()).securityHeaders(new SecurityHeaders(0)).build();

  /** The exchange of {@code head}, received over plain HTTP/1.1 without a body. */
  public static Exchange of(HttpRequest head) {
    return new Exchange(CHANNEL, PLAIN, null, PIPELINE, head, true, false);
  }
}
