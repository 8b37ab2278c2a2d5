package io.gatehouse.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.AuthKind;
import io.gatehouse.config.RouteSelector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's mechanics on an in-memory channel: the stages run in the one documented order,
 * a stage that answers ends the run, an asynchronous stage resumes the rest when it completes,
 * and a stage that throws becomes a 500 without internals.
 */
class PipelineTest {

  private final List<String> ran = new ArrayList<>();
  private final List<Principal> seenBySubjectLimit = new ArrayList<>();

  private Stage record(String name) {
    return exchange -> {
      ran.add(name + (exchange.principal() == null ? "" : "+principal"));
      return Stage.CONTINUE;
    };
  }

  private Pipeline pipeline(Stage limits, Stage guard) {
    Stage subjectLimit = exchange -> {
      seenBySubjectLimit.add(exchange.principal());
      return record("subject-rate-limit").apply(exchange);
    };
    Stage dispatch = exchange -> {
      ran.add("dispatch");
      exchange.respond(Response.status(200).body("ok".getBytes(StandardCharsets.US_ASCII), "text/plain").build());
      return Stage.ANSWERED;
    };
    Route route = Route.of(RouteSelector.builtin("test:x", "/x"))
        .ipLimits(record("ip-rate-limit"))
        .body(record("body"))
        .guard(guard)
        .subjectLimits(subjectLimit)
        .target(exchange -> dispatch.apply(exchange))
        .build();
    Stage routing = exchange -> {
      exchange.match(new RouteMatch<>(route, "/x", "/x"));
      return record("route").apply(exchange);
    };
    return Pipeline.builder().requestId(record("request-id")).limits(limits).cors(record("security-headers-cors"))
        .routing(routing).problems(new ProblemRenderer()).securityHeaders(new SecurityHeaders(0)).maxBodyBytes(1024)
        .build();
  }

  private static String exchange(Pipeline pipeline, Runnable beforeReading) {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.pipeline().addLast(new HttpServerCodec(), new ExchangeHandler(() -> pipeline, new Connection(channel, null, false), null));
    channel.writeInbound(Unpooled.copiedBuffer("GET /x HTTP/1.1\r\nHost: gw\r\n\r\n", StandardCharsets.US_ASCII));
    beforeReading.run();
    channel.runPendingTasks();
    StringBuilder out = new StringBuilder();
    ByteBuf bytes;
    while ((bytes = channel.readOutbound()) != null) {
      out.append(bytes.toString(StandardCharsets.US_ASCII));
      bytes.release();
    }
    channel.finishAndReleaseAll();
    return out.toString();
  }

  @Test
  void stagesRunInTheDocumentedOrder() {
    Pipeline pipeline = pipeline(record("limits"), record("guard"));
    assertThat(pipeline.order()).containsExactly("request-id", "limits", "security-headers-cors", "route", "ip-rate-limit",
        "body", "guard", "subject-rate-limit", "dispatch");
    String response = exchange(pipeline, () -> { });
    assertThat(response).startsWith("HTTP/1.1 200").contains("x-request-id: ").contains("x-content-type-options: nosniff");
    assertThat(ran).containsExactly("request-id", "limits", "security-headers-cors", "route", "ip-rate-limit", "body",
        "guard", "subject-rate-limit", "dispatch");
  }

  @Test
  void aStageThatAnswersEndsTheRunAndItsAnswerCarriesTheCommonHeaders() {
    String response = exchange(pipeline(exchange -> {
      ran.add("limits");
      return Stage.reject(Problem.PAYLOAD_TOO_LARGE);
    }, record("guard")), () -> { });
    assertThat(ran).containsExactly("request-id", "limits");
    assertThat(response).startsWith("HTTP/1.1 413").contains("application/problem+json").contains("x-request-id: ")
        .contains("connection: close");
  }

  @Test
  void anAsynchronousGuardResumesTheRestWithItsPrincipal() {
    Promise<Boolean> admitted = Promise.promise();
    Principal principal = new Principal("u1", List.of("user"), List.of(), null, AuthKind.SESSION, false, null);
    Stage guard = exchange -> {
      ran.add("guard");
      return admitted.future().map(ok -> {
        exchange.principal(principal);
        return ok;
      });
    };
    String response = exchange(pipeline(record("limits"), guard), () -> {
      assertThat(ran).as("nothing after the guard runs before it completes").endsWith("guard");
      admitted.complete(true);
    });
    assertThat(response).startsWith("HTTP/1.1 200");
    assertThat(ran).containsExactly("request-id", "limits", "security-headers-cors", "route", "ip-rate-limit", "body",
        "guard", "subject-rate-limit+principal", "dispatch");
    assertThat(seenBySubjectLimit).containsExactly(principal);
  }

  @Test
  void aStageThatThrowsBecomesA500WithoutInternals() {
    String response = exchange(pipeline(exchange -> {
      throw new IllegalStateException("secret internals");
    }, record("guard")), () -> { });
    assertThat(response).startsWith("HTTP/1.1 500").contains("urn:gatehouse:problem:internal").doesNotContain("secret internals")
        .doesNotContain("IllegalStateException");
  }

  @Test
  void aFailedFutureAnswersWithItsProblem() {
    String response = exchange(pipeline(record("limits"), exchange -> Future.failedFuture(new ProblemException(Problem.UNAUTHORIZED))),
        () -> { });
    assertThat(response).startsWith("HTTP/1.1 401").contains("www-authenticate: Bearer realm=\"gatehouse\"");
    assertThat(ran).doesNotContain("dispatch");
  }
}
