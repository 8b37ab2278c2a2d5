package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request trailers (headers a client sends after a chunked body) never reach the upstream: the
 * header rules of the head would not see them, so identity and forwarding headers could ride there.
 * The upstream here is a raw socket, which records the request's bytes as they arrive.
 */
class TrailersIT {

  @Test
  void requestTrailersAreDropped(@TempDir Path data) throws Exception {
    try (ServerSocket upstream = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> readOneRequest(upstream));
      try (GatehouseFixture gateway = GatehouseFixture.start(data, """
          routes:
            - { id: up, path: /up/**, upstream: "http://127.0.0.1:%d", auth: [none] }
          """.formatted(upstream.getLocalPort()), Map.of())) {
        String response = RawHttp.exchange(gateway.gatehouse.httpPort(), "POST /up/x HTTP/1.1\r\nHost: gw\r\n"
            + "Transfer-Encoding: chunked\r\nTrailer: X-Gatehouse-Subject\r\nConnection: close\r\n\r\n"
            + "5\r\nhello\r\n0\r\nX-Gatehouse-Subject: admin\r\nX-Gatehouse-Roles: admin\r\n"
            + "X-Forwarded-For: 203.0.113.66\r\nAuthorization: Bearer gh_0123456789ab_secret\r\n\r\n");
        assertThat(RawHttp.status(response)).as(response).isEqualTo(200);
        String request = seen.get(10, TimeUnit.SECONDS);
        assertThat(request).contains("hello");
        String afterBody = request.substring(request.indexOf("hello"));
        assertThat(afterBody.toLowerCase()).doesNotContain("x-gatehouse", "203.0.113.66", "authorization");
        assertThat(afterBody).endsWith("0\r\n\r\n");
      }
    }
  }

  /** Reads one chunked request up to the end of its last chunk and trailer section, then answers 200. */
  private static String readOneRequest(ServerSocket server) {
    try (Socket socket = server.accept()) {
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      while (true) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        bytes.write(b);
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        int last = text.indexOf("\r\n0\r\n");
        if (last >= 0 && text.indexOf("\r\n\r\n", last + 2) >= 0) {
          break;
        }
      }
      socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
          .getBytes(StandardCharsets.US_ASCII));
      return bytes.toString(StandardCharsets.ISO_8859_1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
