package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.gatehouse.support.GatewayWithUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracing.export: otlp} end to end: the gateway's spans reach an OTLP/HTTP receiver inside
 * the test (the JDK's HttpServer taking {@code POST /v1/traces}) as protobuf, sent by the
 * OpenTelemetry SDK's exporter, and the spans still queued are sent when the gateway stops.
 */
class OtlpExportIT {

  /** One export request as the receiver saw it. */
  record Export(String method, String contentType, int bytes) {
  }

  final List<Export> received = new CopyOnWriteArrayList<>();
  HttpServer receiver;

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/v1/traces", exchange -> {
      try (InputStream body = exchange.getRequestBody()) {
        received.add(new Export(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"),
            body.readAllBytes().length));
      }
      // An empty ExportTraceServiceResponse: nothing rejected.
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  @Test
  void spansAreExportedAsOtlpProtobufOverHttp(@TempDir Path data) throws Exception {
    GatewayWithUpstream env = GatewayWithUpstream.start(data, """
        tracing: { export: otlp, endpoint: "${OTLP}" }
        routes:
          - { id: echo, path: /echo/**, upstream: "${UP}", auth: [none] }
        """, Map.of("OTLP", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces"));
    try {
      assertThat(env.gateway.get("/echo/exported").statusCode()).isEqualTo(200);
      assertThat(env.gateway.send(HttpRequest.newBuilder(env.gateway.management("/metrics")).build()).body())
          .contains("gatehouse_tracing_spans_total{outcome=\"ended\"}");
    } finally {
      env.close(); // sends what the batch still holds
    }
    assertThat(received).isNotEmpty().allSatisfy(export -> {
      assertThat(export.method()).isEqualTo("POST");
      assertThat(export.contentType()).isEqualTo("application/x-protobuf");
      assertThat(export.bytes()).isPositive();
    });
  }
}
