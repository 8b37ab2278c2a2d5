package io.gatehouse.observability;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.gatehouse.http.Principal;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.ExchangeObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.ThreadExecutorMap;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request ({@code time, level, logger_name, message: "access"} as the
 * application log has them, then {@code request_id, trace_id, method, path, route, status, bytes,
 * duration_ms, ip} and, when known, {@code upstream_ms, subject, client}). {@code trace_id} is the
 * W3C trace the request belongs to: the caller's, or one started here. The path is the
 * normalised path without its query, and no header, cookie or body is ever written: queries and
 * headers carry tokens.
 *
 * <p>Written like nginx's {@code access_log … buffer= flush=}: each event loop encodes its lines
 * with Jackson's streaming generator into a buffer of its own, handed over whole lines at a time
 * when it passes {@value #FLUSH_BYTES} bytes or at least every {@value #FLUSH_MILLIS} ms; one
 * writer thread does the blocking writes. A crash may lose that window of lines; an event loop
 * never waits for the output: when the writer falls {@value #QUEUED_BUFFERS} buffers behind,
 * lines are dropped and counted ({@code gatehouse.access_log.dropped}). Enabled when the
 * {@code gatehouse.access} logger is at INFO ({@code GATEHOUSE_LOG_LEVEL=WARN} turns it off).
 */
public final class AccessLog implements ExchangeObserver, AutoCloseable {

  static final int FLUSH_BYTES = 32 * 1024;
  static final int FLUSH_MILLIS = 100;
  static final int QUEUED_BUFFERS = 256;
  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
  private static final JsonFactory JSON = new JsonFactory();
  private static final Chunk POISON = new Chunk(new byte[0], 0);
  // Field names and constant values encoded once.
  private static final SerializedString TIME = new SerializedString("time");
  private static final SerializedString LEVEL = new SerializedString("level");
  private static final SerializedString INFO = new SerializedString("INFO");
  private static final SerializedString LOGGER_NAME = new SerializedString("logger_name");
  private static final SerializedString LOGGER = new SerializedString("gatehouse.access");
  private static final SerializedString MESSAGE = new SerializedString("message");
  private static final SerializedString ACCESS = new SerializedString("access");
  private static final SerializedString REQUEST_ID = new SerializedString("request_id");
  private static final SerializedString TRACE_ID = new SerializedString("trace_id");
  private static final SerializedString METHOD = new SerializedString("method");
  private static final SerializedString PATH = new SerializedString("path");
  private static final SerializedString ROUTE = new SerializedString("route");
  private static final SerializedString STATUS = new SerializedString("status");
  private static final SerializedString BYTES = new SerializedString("bytes");
  private static final SerializedString DURATION_MS = new SerializedString("duration_ms");
  private static final SerializedString IP = new SerializedString("ip");
  private static final SerializedString UPSTREAM_MS = new SerializedString("upstream_ms");
  private static final SerializedString SUBJECT = new SerializedString("subject");
  private static final SerializedString CLIENT = new SerializedString("client");

  private final OutputStream out;
  private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_BUFFERS);
  /** Buffers the writer has emptied, for the event loops to fill again instead of allocating. */
  private final BlockingQueue<byte[]> spare = new ArrayBlockingQueue<>(QUEUED_BUFFERS);
  private final List<LoopBuffer> buffers = new CopyOnWriteArrayList<>();
  private final FastThreadLocal<LoopBuffer> perThread = new FastThreadLocal<>() {
    @Override
    protected LoopBuffer initialValue() {
      LoopBuffer buffer = new LoopBuffer();
      buffers.add(buffer);
      EventExecutor loop = ThreadExecutorMap.currentExecutor();
      if (loop != null) {
        buffer.timer = loop.scheduleAtFixedRate(buffer::handOff, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
      }
      return buffer;
    }
  };
  private final Counter dropped;
  private final Thread writer;

  /** @param out where lines go (stdout in production); written by one thread of this log's own */
  public AccessLog(OutputStream out, MeterRegistry registry) {
    this.out = out;
    this.dropped = Counter.builder("gatehouse.access_log.dropped")
        .description("Access-log lines dropped because the output could not keep up").register(registry);
    this.writer = new Thread(this::drain, "gatehouse-access-log");
    writer.setDaemon(true);
    writer.start();
  }

  /** The access log, or null when the {@code gatehouse.access} logger is off. */
  public static AccessLog ifEnabled(OutputStream out, MeterRegistry registry) {
    return LoggerFactory.getLogger("gatehouse.access").isInfoEnabled() ? new AccessLog(out, registry) : null;
  }

  /** Records a finished exchange. Called on its event loop. */
  @Override
  public void completed(Exchange exchange, String routeId, long nanos) {
    perThread.get().append(exchange, routeId, nanos);
  }

  private void drain() {
    try {
      while (true) {
        Chunk chunk = queue.take();
        if (chunk == POISON) {
          return;
        }
        out.write(chunk.bytes(), 0, chunk.length());
        spare.offer(chunk.bytes());
        if (queue.isEmpty()) {
          out.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.error("the access log cannot be written: {}", e.toString());
    }
  }

  /** Writes what the buffers still hold and stops the writer; call after the event loops stopped. */
  @Override
  public void close() {
    for (LoopBuffer buffer : buffers) {
      if (buffer.timer != null) {
        buffer.timer.cancel(false);
      }
      buffer.handOff();
    }
    try {
      queue.put(POISON);
      writer.join(TimeUnit.SECONDS.toMillis(5));
      out.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.warn("the access log could not be flushed: {}", e.toString());
    }
    perThread.remove();
  }

  /** One event loop's lines not yet handed to the writer. Confined to that loop (and to close()). */
  private final class LoopBuffer extends OutputStream {
    private byte[] bytes = new byte[FLUSH_BYTES + 4096];
    private int length;
    private final JsonGenerator json;
    private final char[] number = new char[24];
    /** {@code 2026-01-01T00:00:00.000Z}: the part up to the second is rewritten once a second, the milliseconds per line. */
    private final char[] time = "0000-00-00T00:00:00.000Z".toCharArray();
    private long second = Long.MIN_VALUE;
    io.netty.util.concurrent.ScheduledFuture<?> timer;

    LoopBuffer() {
      try {
        json = JSON.createGenerator(this);
        json.setRootValueSeparator(null); // lines end with the newline written after each object
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void append(Exchange exchange, String routeId, long nanos) {
      try {
        json.writeStartObject();
        json.writeFieldName(TIME);
        stamp(System.currentTimeMillis());
        json.writeString(time, 0, time.length);
        json.writeFieldName(LEVEL);
        json.writeString(INFO);
        json.writeFieldName(LOGGER_NAME);
        json.writeString(LOGGER);
        json.writeFieldName(MESSAGE);
        json.writeString(ACCESS);
        json.writeFieldName(REQUEST_ID);
        json.writeString(exchange.requestId());
        json.writeFieldName(TRACE_ID);
        json.writeString(exchange.trace().traceId());
        if (exchange.wellFormed()) {
          json.writeFieldName(METHOD);
          json.writeString(exchange.method().name());
          json.writeFieldName(PATH);
          json.writeString(exchange.path() != null ? exchange.path() : truncate(exchange.rawPath()));
        }
        if (routeId != null) {
          json.writeFieldName(ROUTE);
          json.writeString(routeId);
        }
        json.writeFieldName(STATUS);
        json.writeNumber(exchange.status());
        json.writeFieldName(BYTES);
        json.writeNumber(exchange.bytesWritten());
        writeMillis(DURATION_MS, nanos);
        json.writeFieldName(IP);
        json.writeString(exchange.clientAddress());
        if (exchange.upstreamNanos() >= 0) {
          writeMillis(UPSTREAM_MS, exchange.upstreamNanos());
        }
        Principal principal = exchange.principal();
        if (principal != null) {
          json.writeFieldName(SUBJECT);
          json.writeString(principal.subject());
          if (principal.client() != null) {
            json.writeFieldName(CLIENT);
            json.writeString(principal.client());
          }
        }
        json.writeEndObject();
        json.writeRaw('\n');
        json.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e); // writes to memory do not fail
      }
      if (length >= FLUSH_BYTES) {
        handOff();
      }
    }

    /** Milliseconds with three decimals, written as a JSON number without a double round trip. */
    private void writeMillis(SerializedString field, long nanos) throws IOException {
      long micros = Math.max(0, nanos / 1000);
      int n = digits(micros / 1000, 0);
      long fraction = micros % 1000;
      number[n] = '.';
      number[n + 1] = (char) ('0' + fraction / 100);
      number[n + 2] = (char) ('0' + fraction / 10 % 10);
      number[n + 3] = (char) ('0' + fraction % 10);
      json.writeFieldName(field);
      json.writeNumber(number, 0, n + 4);
    }

    /** Writes {@code value}'s decimal digits into {@code number} from {@code at}; returns the index after them. */
    private int digits(long value, int at) {
      if (value < 10) {
        number[at] = (char) ('0' + value);
        return at + 1;
      }
      int end = digits(value / 10, at);
      number[end] = (char) ('0' + value % 10);
      return end + 1;
    }

    /** ISO-8601 UTC with milliseconds into {@link #time}; the part up to the second is formatted once a second. */
    private void stamp(long millis) {
      long epochSecond = Math.floorDiv(millis, 1000);
      if (epochSecond != second) {
        second = epochSecond;
        String full = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(epochSecond)); // ...T22:49:56Z
        full.getChars(0, 19, time, 0);
      }
      int ms = (int) Math.floorMod(millis, 1000);
      time[20] = (char) ('0' + ms / 100);
      time[21] = (char) ('0' + ms / 10 % 10);
      time[22] = (char) ('0' + ms % 10);
    }

    /** Gives the filled buffer to the writer and continues in a spare one: no copy. */
    void handOff() {
      if (length == 0) {
        return;
      }
      if (queue.offer(new Chunk(bytes, length))) {
        byte[] next = spare.poll();
        bytes = next != null ? next : new byte[FLUSH_BYTES + 4096];
      } else {
        dropped.increment(lines());
      }
      length = 0;
    }

    private int lines() {
      int count = 0;
      for (int i = 0; i < length; i++) {
        if (bytes[i] == '\n') {
          count++;
        }
      }
      return count;
    }

    @Override
    public void write(int b) {
      ensure(1);
      bytes[length++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int count) {
      ensure(count);
      System.arraycopy(source, offset, bytes, length, count);
      length += count;
    }

    private void ensure(int more) {
      if (length + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
      }
    }
  }

  /** Whole lines for the writer: the first {@code length} bytes of {@code bytes}. */
  private record Chunk(byte[] bytes, int length) {
  }

  /** A path that failed normalisation is logged as received, but bounded. */
  private static String truncate(String raw) {
    return raw == null || raw.length() <= 256 ? raw : raw.substring(0, 256) + "...";
  }
}
