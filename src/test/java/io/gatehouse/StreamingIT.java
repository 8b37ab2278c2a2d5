package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.GatewayWithUpstream;
import io.gatehouse.support.TestUpstream;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies stream through the proxy both ways: a 1 GiB upload and a 1 GiB download pass intact
 * while the heap (capped at 384 MiB for the whole test JVM, client and upstream included) stays flat.
 */
class StreamingIT {

  private static final long GIB = 1024L * 1024 * 1024;
  private static final long HEAP_BUDGET = 200L * 1024 * 1024;

  static GatewayWithUpstream env;
  static TestUpstream upstream;
  static GatehouseFixture gateway;
  static UnframedUpstream unframed;

  @BeforeAll
  static void start(@TempDir Path data) throws Exception {
    unframed = new UnframedUpstream(GIB);
    env = GatewayWithUpstream.start(data, """
        routes:
          - { id: unframed, path: /unframed, upstream: "${UNFRAMED}", auth: [none], timeout: 60s }
          - { id: files, path: /**, upstream: "${UP}", auth: [none], timeout: 60s }
        """, Map.of("MAX_BODY", "2GiB", "REQUEST_TIMEOUT", "120s", "UNFRAMED", unframed.url()));
    upstream = env.upstream;
    gateway = env.gateway;
  }

  @AfterAll
  static void stop() throws Exception {
    env.close();
    unframed.close();
  }

  /**
   * An upstream that answers every request with an HTTP/1.1 200 of {@code size} bytes and no
   * Content-Length or Transfer-Encoding: the body ends when it closes the connection (RFC 9112 §6.3).
   */
  private static final class UnframedUpstream implements AutoCloseable {
    private final ServerSocket server;
    private final Thread thread;

    UnframedUpstream(long size) throws Exception {
      server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
      thread = new Thread(() -> {
        while (!server.isClosed()) {
          try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            int last = 0;
            int matched = 0;
            while (matched < 4 && (last = in.read()) >= 0) { // read the request head up to CRLF CRLF
              matched = (last == '\r' || last == '\n') ? matched + 1 : 0;
            }
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            for (long left = size; left > 0; left -= chunk.length) {
              out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
          } catch (IOException e) {
            // the test client or the gateway went away; the next accept decides
          }
        }
      }, "unframed-upstream");
      thread.setDaemon(true);
      thread.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      server.close();
      thread.join(5_000);
    }
  }

  /**
   * Samples used heap on a daemon thread; the peak's growth over the live heap at the start is
   * what a buffered body would blow up (other tests in this JVM may leave live data behind).
   */
  private static final class HeapWatch implements AutoCloseable {
    final AtomicLong peak = new AtomicLong();
    final long baseline;
    private final Thread thread;
    private volatile boolean running = true;

    HeapWatch() {
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      memory.gc();
      baseline = memory.getHeapMemoryUsage().getUsed();
      thread = new Thread(() -> {
        while (running) {
          peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
      });
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join();
    }
  }

  /** A deterministic stream of {@code size} bytes that is never held in memory. */
  private static InputStream pattern(long size, CRC32 crc) {
    return new InputStream() {
      long left = size;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left == 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        for (int i = 0; i < n; i++) {
          b[off + i] = (byte) ((size - left + i) * 31);
        }
        crc.update(b, off, n);
        left -= n;
        return n;
      }
    };
  }

  @Test
  void oneGibUploadStreamsWithFlatHeap() throws Exception {
    CRC32 sent = new CRC32();
    try (HeapWatch heap = new HeapWatch()) {
      HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.http("/upload"))
          .POST(HttpRequest.BodyPublishers.fromPublisher(
              HttpRequest.BodyPublishers.ofInputStream(() -> pattern(GIB, sent)))).build());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonObject result = new JsonObject(response.body());
      assertThat(result.getLong("bytes")).isEqualTo(GIB);
      assertThat(result.getLong("crc")).isEqualTo(sent.getValue());
      heap.close();
      assertThat(heap.peak.get() - heap.baseline).isLessThan(HEAP_BUDGET);
    }
  }

  @Test
  void oneGibDownloadStreamsWithFlatHeap() throws Exception {
    try (HeapWatch heap = new HeapWatch()) {
      HttpResponse<InputStream> response = gateway.client().send(
          HttpRequest.newBuilder(gateway.http("/download?bytes=" + GIB)).build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      long total = 0;
      byte[] buffer = new byte[256 * 1024];
      try (InputStream body = response.body()) {
        int n;
        while ((n = body.read(buffer)) > 0) {
          total += n;
        }
      }
      assertThat(total).isEqualTo(GIB);
      heap.close();
      assertThat(heap.peak.get() - heap.baseline).isLessThan(HEAP_BUDGET);
    }
  }

  /** Reads an HTTP/1.x response head from {@code in}, then counts body bytes until the connection closes (or, chunked, its end). */
  private static long readBody(InputStream in, StringBuilder head) throws IOException {
    int matched = 0;
    int b;
    while (matched < 4 && (b = in.read()) >= 0) {
      head.append((char) b);
      matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
    }
    byte[] buffer = new byte[256 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      total += n;
    }
    return total;
  }

  @Test
  void anHttp10ClientGetsAChunkedUpstreamBodyCloseDelimitedWithFlatHeap() throws Exception {
    try (HeapWatch heap = new HeapWatch(); Socket socket = new Socket("127.0.0.1", gateway.gatehouse.httpPort())) {
      socket.getOutputStream().write(("GET /download?bytes=" + GIB + " HTTP/1.0\r\nHost: gw\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      StringBuilder head = new StringBuilder();
      long total = readBody(socket.getInputStream(), head);
      assertThat(head.toString()).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("transfer-encoding")
          .doesNotContainIgnoringCase("content-length").containsIgnoringCase("connection: close");
      assertThat(total).isEqualTo(GIB);
      heap.close();
      assertThat(heap.peak.get() - heap.baseline).isLessThan(HEAP_BUDGET);
    }
  }

  @Test
  void anUpstreamWithoutALengthStreamsChunkedToHttp11AndCloseDelimitedToHttp10() throws Exception {
    try (HeapWatch heap = new HeapWatch()) {
      HttpResponse<InputStream> response = gateway.client().send(
          HttpRequest.newBuilder(gateway.http("/unframed")).build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("transfer-encoding")).hasValue("chunked");
      long total = 0;
      byte[] buffer = new byte[256 * 1024];
      try (InputStream body = response.body()) {
        int n;
        while ((n = body.read(buffer)) > 0) {
          total += n;
        }
      }
      assertThat(total).isEqualTo(GIB);
      heap.close();
      assertThat(heap.peak.get() - heap.baseline).isLessThan(HEAP_BUDGET);
    }
    try (Socket socket = new Socket("127.0.0.1", gateway.gatehouse.httpPort())) {
      socket.getOutputStream().write("GET /unframed HTTP/1.0\r\nHost: gw\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      StringBuilder head = new StringBuilder();
      assertThat(readBody(socket.getInputStream(), head)).isEqualTo(GIB);
      assertThat(head.toString()).doesNotContainIgnoringCase("transfer-encoding");
    }
  }
}
