package io.gatehouse.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * A real upstream HTTP server on a random port for integration tests.
 *
 * <ul>
 *   <li>any path: echoes {@code {name, method, uri, headers, body}} as JSON</li>
 *   <li>{@code /slow}: never answers</li>
 *   <li>{@code /sleep?ms=N}: answers 200 after N ms</li>
 *   <li>{@code /hold}: answers 200 when the test calls {@link #releaseHeld()}; {@link #held} counts
 *       arrivals, {@link #heldGone} the held requests whose connection closed first</li>
 *   <li>{@code /download?bytes=N}: streams N bytes with back-pressure</li>
 *   <li>{@code /upload}: counts and CRC32s the body as it streams: {@code {bytes, crc}}</li>
 *   <li>{@code /hop}: answers with hop-by-hop and product headers that must not reach the client</li>
 *   <li>{@code /cors}: grants a foreign origin with its own {@code Access-Control-*} headers</li>
 *   <li>{@code /ws}: WebSocket echo; {@code /ws-headers}: first sends the handshake's headers as JSON;
 *       {@link #webSocketCloses} has the status of each Close a client sent</li>
 * </ul>
 *
 * <p>With {@link #status} set, every HTTP request is answered with that status instead.
 */
public final class TestUpstream implements AutoCloseable {

  private final Vertx vertx;
  private final HttpServer server;
  private final String name;
  public final AtomicInteger requests = new AtomicInteger();
  /** When not 0, the status every HTTP request is answered with (a sick upstream: 503, say). */
  public volatile int status;
  /** A permit per request that arrived at {@code /hold}. */
  public final Semaphore held = new Semaphore(0);
  /** A permit per held request whose connection closed before it was answered. */
  public final Semaphore heldGone = new Semaphore(0);
  private final Queue<HttpServerResponse> holding = new ConcurrentLinkedQueue<>();
  /** The status code of each WebSocket Close frame a client sent (connections lost without one are not here). */
  public final Queue<Short> webSocketCloses = new ConcurrentLinkedQueue<>();

  private TestUpstream(Vertx vertx, HttpServer server, String name) {
    this.vertx = vertx;
    this.server = server;
    this.name = name;
  }

  public static TestUpstream start(String name) {
    Vertx vertx = Vertx.vertx();
    TestUpstream[] holder = new TestUpstream[1];
    HttpServer server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setMaxHeaderSize(64 * 1024))
        .webSocketHandler(ws -> {
          holder[0].requests.incrementAndGet();
          if (ws.path().equals("/ws-headers")) {
            JsonObject headers = new JsonObject();
            ws.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
            ws.writeTextMessage(headers.encode());
          }
          ws.textMessageHandler(ws::writeTextMessage);
          ws.closeHandler(closed -> {
            if (ws.closeStatusCode() != null) {
              holder[0].webSocketCloses.add(ws.closeStatusCode());
            }
          });
        })
        .requestHandler(req -> holder[0].handle(req));
    server.listen(0, "127.0.0.1").await();
    holder[0] = new TestUpstream(vertx, server, name);
    return holder[0];
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  private void handle(HttpServerRequest req) {
    requests.incrementAndGet();
    HttpServerResponse res = req.response();
    int forced = status;
    if (forced != 0) {
      res.setStatusCode(forced).putHeader("content-type", "text/plain").end(name + " answers " + forced);
      return;
    }
    switch (req.path()) {
      case "/slow" -> { }
      case "/sleep" -> vertx.setTimer(Long.parseLong(req.getParam("ms")), id -> res.end("slept"));
      case "/hold" -> {
        holding.add(res);
        res.closeHandler(v -> {
          if (holding.remove(res)) {
            heldGone.release();
          }
        });
        held.release();
      }
      case "/download" -> download(res, Long.parseLong(req.getParam("bytes")));
      case "/upload" -> {
        CRC32 crc = new CRC32();
        long[] count = {0};
        req.handler(chunk -> {
          byte[] bytes = chunk.getBytes();
          crc.update(bytes);
          count[0] += bytes.length;
        });
        req.endHandler(v -> res.putHeader("content-type", "application/json")
            .end(new JsonObject().put("bytes", count[0]).put("crc", crc.getValue()).encode()));
      }
      case "/cors" -> res.putHeader("Access-Control-Allow-Origin", "https://evil.example")
          .putHeader("Access-Control-Allow-Credentials", "true")
          .putHeader("Access-Control-Expose-Headers", "x-secret")
          .end("cors");
      case "/hop" -> res.putHeader("Connection", "X-Secret-Hop")
          .putHeader("X-Secret-Hop", "leak")
          .putHeader("Keep-Alive", "timeout=5")
          .putHeader("Server", "upstream/1.0")
          .putHeader("X-Powered-By", "PHP/5")
          .end("hop");
      default -> req.body().onSuccess(body -> {
        JsonObject headers = new JsonObject();
        for (Map.Entry<String, String> h : req.headers()) {
          headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue());
        }
        res.putHeader("content-type", "application/json").end(new JsonObject()
            .put("name", name).put("method", req.method().name()).put("uri", req.uri())
            .put("headers", headers).put("body", body.toString()).encode());
      });
    }
  }

  private static void download(HttpServerResponse res, long total) {
    res.setChunked(true).putHeader("content-type", "application/octet-stream");
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    long[] left = {total};
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      if (res.ended() || res.closed()) {
        return; // a drain after the last write, or the client went away
      }
      while (left[0] > 0 && !res.writeQueueFull()) {
        int n = (int) Math.min(chunk.length(), left[0]);
        res.write(n == chunk.length() ? chunk : chunk.getBuffer(0, n));
        left[0] -= n;
      }
      if (left[0] == 0) {
        res.end();
      } else {
        res.drainHandler(v -> pump[0].run());
      }
    };
    pump[0].run();
  }

  /** Answers every request held at {@code /hold} so far (on the upstream's own event loop). */
  public void releaseHeld() {
    vertx.runOnContext(v -> {
      HttpServerResponse res;
      while ((res = holding.poll()) != null) {
        if (!res.closed()) {
          res.putHeader("content-type", "text/plain").end("released");
        }
      }
    });
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
