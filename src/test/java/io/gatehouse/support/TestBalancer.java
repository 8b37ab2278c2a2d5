package io.gatehouse.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A round-robin HTTP/1.1 load balancer for tests, behaving as nginx or HAProxy do in front of
 * Gatehouse instances: it sends GETs only to the backends its health check finds ready
 * ({@code GET /health/ready} on their management port every {@value #CHECK_EVERY_MILLIS} ms; as
 * HAProxy's defaults, {@value #RISE} answers of 200 in a row put one in, {@value #FALL} others take
 * it out), keeps connections to them alive until a response says
 * {@code Connection: close}, and retries a request on another backend only when a connection is
 * refused (nothing was sent). Any other failure (a connection closed or reset before the whole
 * response arrived) is answered 502 and counted in {@link #failures}: what a graceful restart must
 * never cause. A request may pin its backend with {@code X-Backend: <name>}; every response names
 * the backend that answered in {@code X-Backend}.
 */
public final class TestBalancer implements AutoCloseable {

  static final long CHECK_EVERY_MILLIS = 100;
  static final int RISE = 2;
  static final int FALL = 3;

  /** @param port its public HTTP port, {@code managementPort} where its readiness is */
  public record Backend(String name, int port, int managementPort) {

    public static Backend of(String name, GatehouseFixture gateway) {
      return new Backend(name, gateway.gatehouse.httpPort(), gateway.gatehouse.managementPort());
    }
  }

  /** Requests answered 502 because a backend broke off; each with what went wrong. */
  public final List<String> failures = new CopyOnWriteArrayList<>();
  /** Connections refused, and the request sent to another backend instead. */
  public final AtomicInteger refusedRetries = new AtomicInteger();
  /** Responses that said {@code Connection: close}, by backend name. */
  public final Map<String, AtomicInteger> closing = new ConcurrentHashMap<>();

  private final List<Slot> slots = new CopyOnWriteArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final HttpServer front;
  private final ExecutorService workers = Executors.newFixedThreadPool(8);
  private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor();
  private final HttpClient health = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  /** One place in the rotation; its backend changes when the instance behind it is replaced. */
  private static final class Slot {
    volatile Backend backend;
    volatile boolean up;
    int streak; // consecutive checks that disagree with up; touched by the checking thread only
    final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

    Slot(Backend backend) {
      this.backend = backend;
    }
  }

  public TestBalancer() throws IOException {
    front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    front.setExecutor(workers);
    front.createContext("/", this::handle);
    front.start();
    checks.scheduleWithFixedDelay(this::checkAll, 0, CHECK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + front.getAddress().getPort() + path);
  }

  public void add(Backend backend) {
    slots.add(new Slot(backend));
  }

  /** The instance behind {@code old}'s place is now {@code backend}: out until its health check passes. */
  public void replace(String old, Backend backend) {
    for (Slot slot : slots) {
      if (slot.backend.name().equals(old)) {
        slot.up = false;
        slot.streak = 0;
        slot.backend = backend;
        Connection stale;
        while ((stale = slot.idle.poll()) != null) {
          stale.close();
        }
      }
    }
  }

  /** Whether the health check has the named backend in rotation. */
  public boolean isUp(String name) {
    return slots.stream().anyMatch(slot -> slot.backend.name().equals(name) && slot.up);
  }

  private void checkAll() {
    for (Slot slot : slots) {
      Backend backend = slot.backend;
      boolean ready;
      try {
        ready = health.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.managementPort()
            + "/health/ready")).timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200;
      } catch (IOException e) {
        ready = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (slot.backend != backend) {
        continue;
      }
      slot.streak = ready == slot.up ? 0 : slot.streak + 1;
      if (slot.streak >= (ready ? RISE : FALL)) {
        slot.up = ready;
        slot.streak = 0;
      }
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String pinned = exchange.getRequestHeaders().getFirst("X-Backend");
    String path = exchange.getRequestURI().toString();
    for (int attempt = 0; attempt <= slots.size(); attempt++) {
      Slot slot = pinned != null ? pinned(pinned) : pick();
      if (slot == null) {
        failures.add(path + ": no backend in rotation");
        answer(exchange, 503, "no backend", null);
        return;
      }
      Backend backend = slot.backend;
      Connection connection = slot.idle.poll();
      if (connection == null) {
        try {
          connection = new Connection(backend.port());
        } catch (ConnectException refused) {
          slot.up = false; // as a passive health check does
          refusedRetries.incrementAndGet();
          continue;
        }
      }
      Reply reply;
      try {
        reply = connection.get(path);
      } catch (IOException e) {
        connection.close();
        failures.add(path + " on " + backend.name() + ": " + e);
        answer(exchange, 502, "backend broke off", backend.name());
        return;
      }
      if (reply.closes()) {
        connection.close();
        closing.computeIfAbsent(backend.name(), name -> new AtomicInteger()).incrementAndGet();
      } else if (slot.backend == backend) {
        slot.idle.push(connection);
      } else {
        connection.close();
      }
      answer(exchange, reply.status(), reply.body(), backend.name());
      return;
    }
    failures.add(path + ": every backend refused");
    answer(exchange, 503, "every backend refused", null);
  }

  private Slot pick() {
    int start = next.getAndIncrement();
    for (int i = 0; i < slots.size(); i++) {
      Slot slot = slots.get(Math.floorMod(start + i, slots.size()));
      if (slot.up) {
        return slot;
      }
    }
    return null;
  }

  private Slot pinned(String name) {
    return slots.stream().filter(slot -> slot.backend.name().equals(name)).findFirst().orElse(null);
  }

  private static void answer(HttpExchange exchange, int status, String body, String backend) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (backend != null) {
      exchange.getResponseHeaders().add("X-Backend", backend);
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private record Reply(int status, String body, boolean closes) {
  }

  /** One kept-alive connection to a backend, speaking just enough HTTP/1.1 for GETs. */
  private static final class Connection {
    private final Socket socket;
    private final InputStream in;

    Connection(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      in = new BufferedInputStream(socket.getInputStream());
    }

    Reply get(String path) throws IOException {
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: backend\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String status = line();
      if (status == null) {
        throw new IOException("closed before a response");
      }
      Map<String, String> headers = new ConcurrentHashMap<>();
      for (String line = line(); line != null && !line.isEmpty(); line = line()) {
        int colon = line.indexOf(':');
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
      byte[] body;
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
          all.write(exactly(size));
          line();
        }
        line();
        body = all.toByteArray();
      } else {
        body = exactly(Integer.parseInt(headers.getOrDefault("content-length", "0")));
      }
      return new Reply(Integer.parseInt(status.substring(9, 12)), new String(body, StandardCharsets.UTF_8),
          "close".equalsIgnoreCase(headers.get("connection")));
    }

    private byte[] exactly(int length) throws IOException {
      byte[] bytes = in.readNBytes(length);
      if (bytes.length < length) {
        throw new IOException("closed in the middle of a body");
      }
      return bytes;
    }

    private String line() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0 && b != '\n') {
        if (b != '\r') {
          line.write(b);
        }
      }
      return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  @Override
  public void close() {
    checks.shutdownNow();
    front.stop(0);
    workers.shutdownNow();
    for (Slot slot : slots) {
      slot.idle.forEach(Connection::close);
    }
  }
}
