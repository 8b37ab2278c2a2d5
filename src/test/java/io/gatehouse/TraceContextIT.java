package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.GatewayExtension;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * W3C trace context through the real gateway with tracing export off (the default): the caller's
 * trace reaches the upstream under a span of Gatehouse's own, an invalid one is replaced, and the
 * trace id is in the access log and in problem+json bodies.
 */
class TraceContextIT {

  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String CALLER_SPAN = "00f067aa0ba902b7";

  @RegisterExtension
  static final GatewayExtension env = GatewayExtension.of("""
      routes:
        - { id: echo, path: /echo/**, upstream: "${UP}", auth: [none] }
        - { id: closed, path: /closed/**, upstream: "${UP}" }
        - { id: down, path: /down, upstream: "http://127.0.0.1:1", auth: [none] }
      """);

  private static GatehouseFixture gateway() {
    return env.gateway();
  }

  private static JsonObject upstreamHeaders(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getJsonObject("headers");
  }

  @Test
  void theCallersTraceReachesTheUpstreamWithGatehousesSpanAsParent() throws Exception {
    HttpResponse<String> response = gateway().get("/echo/t",
        "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01",
        "tracestate", "congo=t61rcWkgMzE, rojo=00f067aa0ba902b7");
    JsonObject headers = upstreamHeaders(response);
    String traceparent = headers.getString("traceparent");
    assertThat(traceparent).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01").doesNotContain(CALLER_SPAN);
    assertThat(headers.getString("tracestate")).isEqualTo("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    String requestId = response.headers().firstValue("x-request-id").orElseThrow();
    assertThat(requestId).as("the request id is the request's, not the trace's").isNotEqualTo(TRACE_ID);
    List<JsonObject> lines = gateway().accessLog.await(line -> requestId.equals(line.getString("request_id")));
    assertThat(lines).singleElement().satisfies(line -> assertThat(line.getString("trace_id")).isEqualTo(TRACE_ID));
  }

  @Test
  void anInvalidTraceparentIsReplacedNeverEchoed() throws Exception {
    String forged = "00-" + TRACE_ID.toUpperCase() + "-" + CALLER_SPAN + "-01";
    JsonObject headers = upstreamHeaders(gateway().get("/echo/t", "traceparent", forged,
        "tracestate", "congo=t61rcWkgMzE"));
    assertThat(headers.getString("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00")
        .doesNotContain(CALLER_SPAN).isNotEqualToIgnoringCase(forged);
    assertThat(headers.containsKey("tracestate")).as("a tracestate without a valid traceparent goes too").isFalse();
  }

  @Test
  void aTraceStartedHereIsUnderTheRequestIdAndLogged() throws Exception {
    HttpResponse<String> response = gateway().get("/echo/t");
    String requestId = response.headers().firstValue("x-request-id").orElseThrow();
    assertThat(upstreamHeaders(response).getString("traceparent")).startsWith("00-" + requestId + "-").endsWith("-00");
    List<JsonObject> lines = gateway().accessLog.await(line -> requestId.equals(line.getString("request_id")));
    assertThat(lines).singleElement().satisfies(line -> assertThat(line.getString("trace_id")).isEqualTo(requestId));
  }

  @Test
  void problemBodiesCarryTheTraceId() throws Exception {
    for (String path : List.of("/closed/x", "/down", "/nowhere")) {
      HttpResponse<String> refused = gateway().get(path, "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-00");
      assertThat(refused.headers().firstValue("content-type")).as(path).hasValue("application/problem+json");
      JsonObject problem = new JsonObject(refused.body());
      assertThat(problem.getString("trace_id")).as(path).isEqualTo(TRACE_ID);
      assertThat(problem.getString("request_id")).as(path)
          .isEqualTo(refused.headers().firstValue("x-request-id").orElseThrow());
    }
  }
}
