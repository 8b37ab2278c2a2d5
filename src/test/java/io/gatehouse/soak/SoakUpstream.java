package io.gatehouse.soak;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The service behind Gatehouse in the soak. It looks at every request for what must never reach
 * it (a Gatehouse credential, an identity header the client sent) and counts a broken promise for
 * each; it answers by the last segment of the path:
 *
 * <ul>
 *   <li>{@code …/echo}: {@code {sha256, bytes, subject}} of the body it got and the subject Gatehouse named</li>
 *   <li>{@code …/download?bytes=N&seed=S}: N bytes of {@link BodyPattern} S, streamed under back-pressure</li>
 *   <li>{@code …/upload}: {@code {sha256, bytes}} of the body, hashed as it streams</li>
 *   <li>a WebSocket on any path: echoes each message</li>
 * </ul>
 *
 * <p>In {@link Mode#RESET} every other request has its connection closed unanswered, in
 * {@link Mode#STALL} every other request is never answered.
 */
public final class SoakUpstream implements AutoCloseable {

  /** How the upstream misbehaves. */
  public enum Mode { NORMAL, RESET, STALL }

  /** What a client sends in identity headers; never to be seen here. */
  public static final String FORGED = "forged-by-client";
  private static final Pattern API_KEY = Pattern.compile("gh_[0-9a-f]{12}_");

  private final Vertx vertx;
  private final HttpServer server;
  private final Promises promises;
  private final AtomicLong requests = new AtomicLong();
  private volatile Mode mode = Mode.NORMAL;

  private SoakUpstream(Vertx vertx, Promises promises, int port) {
    this.vertx = vertx;
    this.promises = promises;
    this.server = vertx.createHttpServer(new HttpServerOptions().setMaxHeaderSize(64 * 1024).setIdleTimeout(120))
        .webSocketHandler(ws -> {
          inspect(ws.headers(), ws.path());
          ws.textMessageHandler(ws::writeTextMessage);
        })
        .requestHandler(this::handle);
    server.listen(port, "127.0.0.1").await();
  }

  /** Starts on {@code port} (0 for any free one) on loopback. */
  public static SoakUpstream start(int port, Promises promises) {
    return new SoakUpstream(Vertx.vertx(), promises, port);
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  private void handle(HttpServerRequest req) {
    inspect(req.headers(), req.path());
    long n = requests.incrementAndGet();
    Mode now = mode;
    if (now != Mode.NORMAL && n % 2 == 0) {
      if (now == Mode.RESET) {
        req.connection().close();
      }
      return; // STALL: never answered; Gatehouse's route timeout ends it
    }
    HttpServerResponse res = req.response().putHeader("content-type", "application/json");
    String path = req.path();
    String last = path.substring(path.lastIndexOf('/') + 1);
    switch (last) {
      case "download" -> download(res, Long.parseLong(req.getParam("bytes")), Long.parseLong(req.getParam("seed")));
      case "upload", "echo" -> {
        MessageDigest digest = BodyPattern.sha256();
        long[] bytes = {0};
        req.handler(chunk -> {
          byte[] data = chunk.getBytes();
          digest.update(data);
          bytes[0] += data.length;
        });
        req.endHandler(v -> res.end(new JsonObject().put("sha256", BodyPattern.hex(digest.digest()))
            .put("bytes", bytes[0]).put("subject", req.getHeader("x-gatehouse-subject")).encode()));
      }
      default -> res.setStatusCode(404).end("{}");
    }
  }

  /** Counts a broken promise for every credential or client-sent identity among {@code headers}. */
  private void inspect(io.vertx.core.MultiMap headers, String path) {
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      String value = header.getValue();
      if (value.contains(FORGED)) {
        promises.broken(BrokenPromise.CLIENT_IDENTITY_REACHED_UPSTREAM, path + ": " + name + ": " + value);
      }
      boolean credential = name.equals("authorization") || name.equals("x-api-key")
          || name.equals("cookie") && value.contains("gh_session=") || API_KEY.matcher(value).find()
          || value.contains("eyJ");
      if (credential) {
        promises.broken(BrokenPromise.CREDENTIAL_REACHED_UPSTREAM, path + ": header " + name);
      }
    }
  }

  private static void download(HttpServerResponse res, long total, long seed) {
    res.setChunked(true).putHeader("content-type", "application/octet-stream");
    BodyPattern pattern = new BodyPattern(seed);
    long[] sent = {0};
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      if (res.ended() || res.closed()) {
        return;
      }
      while (sent[0] < total && !res.writeQueueFull()) {
        int n = (int) Math.min(BodyPattern.BLOCK, total - sent[0]);
        byte[] block = pattern.block(sent[0] / BodyPattern.BLOCK);
        res.write(Buffer.buffer(n == BodyPattern.BLOCK ? block : java.util.Arrays.copyOf(block, n)));
        sent[0] += n;
      }
      if (sent[0] >= total) {
        res.end();
      } else {
        res.drainHandler(v -> pump[0].run());
      }
    };
    pump[0].run();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
