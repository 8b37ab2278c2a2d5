package io.gatehouse.soak;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket through Gatehouse to the upstream's echo, with a session: every message comes back as sent. */
final class WebSocketScenario implements Scenario {

  private static final int MESSAGES = 5;

  @Override
  public void run(SoakContext soak) throws Exception {
    UserPool.PoolUser user = soak.pool.any();
    URI uri = URI.create(soak.entry("/ws/echo").toString().replaceFirst("^http", "ws"));
    LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    double start = soak.client.tally().clock().elapsed();
    long startNanos = System.nanoTime();
    WebSocket socket;
    try {
      socket = soak.client.http().newWebSocketBuilder().header("Authorization", "Bearer " + user.session())
          .header("X-Gatehouse-Subject", SoakUpstream.FORGED)
          .buildAsync(uri, new Collector(received)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      fail(soak, "websocket handshake failed", start);
      return;
    }
    soak.client.tally().answered(System.nanoTime(), System.nanoTime() - startNanos);
    try {
      for (int i = 0; i < MESSAGES; i++) {
        String message = UUID.randomUUID() + "/" + i + "/" + "x".repeat(i * 100);
        socket.sendText(message, true).get(10, TimeUnit.SECONDS);
        String echo = received.poll(10, TimeUnit.SECONDS);
        if (echo == null) {
          fail(soak, "websocket echo missing", start);
          return;
        }
        if (!echo.equals(message)) {
          soak.promises.broken(BrokenPromise.BODY_CORRUPTED, "websocket: sent " + message + ", got " + echo);
          return;
        }
      }
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      fail(soak, "websocket dropped", start);
    } finally {
      socket.abort();
    }
  }

  /** A dropped WebSocket is a failure a gateway or upstream fault explains, never a broken promise by itself. */
  private static void fail(SoakContext soak, String kind, double start) {
    soak.client.unanswered(start, kind);
  }

  /** Joins each message's parts and queues it. */
  private static final class Collector implements WebSocket.Listener {
    private final LinkedBlockingQueue<String> received;
    private final StringBuilder partial = new StringBuilder();

    Collector(LinkedBlockingQueue<String> received) {
      this.received = received;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      webSocket.request(1);
      return CompletableFuture.completedFuture(null);
    }
  }
}
