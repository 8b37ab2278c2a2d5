package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.GatewayWithUpstream;
import io.gatehouse.support.RawHttp;
import io.gatehouse.support.TestUpstream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request limits: header size (431), body size (413), slow heads and bodies (408). */
class LimitsIT {

  static GatewayWithUpstream env;
  static TestUpstream upstream;
  static GatehouseFixture gateway;

  @BeforeAll
  static void start(@TempDir Path data) throws Exception {
    env = GatewayWithUpstream.start(data, """
        routes:
          - { id: open, path: /**, upstream: "${UP}", auth: [none] }
        """, Map.of("REQUEST_TIMEOUT", "1s", "MAX_BODY", "1KiB"));
    upstream = env.upstream;
    gateway = env.gateway;
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  private static int port() {
    return gateway.gatehouse.httpPort();
  }

  @Test
  void headersOver16KiBGet431AndJustUnderPass() throws Exception {
    String big = RawHttp.exchange(port(), "GET /x HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(17 * 1024) + "\r\n\r\n");
    assertThat(RawHttp.status(big)).isEqualTo(431);
    assertThat(big).contains("application/problem+json").contains("headers-too-large").containsIgnoringCase("X-Request-Id:");
    String fits = RawHttp.exchange(port(), "GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: " + "a".repeat(15 * 1024) + "\r\n\r\n");
    assertThat(RawHttp.status(fits)).as(fits).isEqualTo(200);
  }

  @Test
  void declaredBodyOverTheLimitGets413WithoutReachingUpstream() throws Exception {
    int before = upstream.requests.get();
    String response = RawHttp.exchange(port(), "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 2048\r\n\r\n" + "a".repeat(100));
    assertThat(RawHttp.status(response)).isEqualTo(413);
    assertThat(response).contains("payload-too-large");
    assertThat(upstream.requests.get()).isEqualTo(before);
  }

  @Test
  void chunkedBodyOverTheLimitGets413() throws Exception {
    StringBuilder chunks = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      chunks.append("200\r\n").append("b".repeat(512)).append("\r\n");
    }
    String response = RawHttp.exchange(port(), "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + "0\r\n\r\n");
    assertThat(RawHttp.status(response)).isEqualTo(413);
  }

  @Test
  void bodyAtTheLimitPasses() throws Exception {
    String response = RawHttp.exchange(port(), "POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 1024\r\n\r\n" + "c".repeat(1024));
    assertThat(RawHttp.status(response)).isEqualTo(200);
    assertThat(response).contains("\"bytes\":1024");
  }

  @Test
  void headThatTricklesInGets408() throws Exception {
    try (RawHttp raw = new RawHttp(port())) {
      long start = System.nanoTime();
      raw.write("GET /x HTTP/1.1\r\nHost: x\r\nX-Slow: ");
      String response = raw.readAll();
      assertThat(RawHttp.status(response)).isEqualTo(408);
      assertThat(response).contains("request-timeout").contains("connection: close");
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(900L, 5_000L);
    }
  }

  @Test
  void bodyThatTricklesInGets408() throws Exception {
    try (RawHttp raw = new RawHttp(port())) {
      raw.write("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789");
      String response = raw.readAll();
      assertThat(RawHttp.status(response)).isEqualTo(408);
    }
  }

  @Test
  void idleKeepAliveConnectionIsNotAnsweredWith408() throws Exception {
    try (RawHttp raw = new RawHttp(port(), 1_500)) {
      assertThat(raw.staysSilent()).isTrue();
    }
  }
}
