package io.gatehouse.soak;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's HTTP client: sends, times and tallies every request, hands each failure to the
 * {@link ServerErrorCheck}, and tells a scenario whether it got the answer it must get.
 * Thread-safe; HTTP/1.1 with keep-alive, no redirects followed.
 */
public final class SoakClient implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SoakClient.class);
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ExecutorService executor = Executors.newCachedThreadPool(daemon("soak-http"));
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).executor(executor).build();
  private final Tally tally;
  private final ServerErrorCheck errors;
  private final AtomicInteger unexpectedLogged = new AtomicInteger();

  SoakClient(Tally tally, ServerErrorCheck errors) {
    this.tally = tally;
    this.errors = errors;
  }

  public HttpClient http() {
    return http;
  }

  public Tally tally() {
    return tally;
  }

  /** Sends {@code request} and reads its body as text. */
  public Answer send(String what, HttpRequest request) {
    long start = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return record(what, start, response.statusCode(), response.headers(), response.body(), null);
    } catch (IOException e) {
      return record(what, start, 0, null, null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return record(what, start, 0, null, null, e);
    }
  }

  /**
   * Sends {@code request} and digests its body as it arrives, pausing {@code pauseMillis} after
   * each 64 KiB (a slow reader, when above 0). The answer's body is the body's SHA-256 in hex, or
   * the text of a body that is not a 2xx.
   */
  public Answer download(String what, HttpRequest request, long pauseMillis) {
    long start = System.nanoTime();
    try {
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() / 100 != 2) {
          String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
          return record(what, start, response.statusCode(), response.headers(), text, null);
        }
        MessageDigest digest = BodyPattern.sha256();
        byte[] buffer = new byte[BodyPattern.BLOCK];
        int filled = 0;
        int n;
        while ((n = in.read(buffer, filled, buffer.length - filled)) >= 0) {
          filled += n;
          if (filled == buffer.length) {
            digest.update(buffer);
            filled = 0;
            if (pauseMillis > 0) {
              Thread.sleep(pauseMillis); // real time: a slow reader, as the gateway sees it on the wire
            }
          }
        }
        digest.update(Arrays.copyOf(buffer, filled));
        return record(what, start, response.statusCode(), response.headers(), BodyPattern.hex(digest.digest()), null);
      }
    } catch (IOException e) {
      return record(what, start, 0, null, null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return record(what, start, 0, null, null, e);
    }
  }

  private Answer record(String what, long startNanos, int status, java.net.http.HttpHeaders headers, String body,
      Throwable error) {
    long end = System.nanoTime();
    RunClock clock = tally.clock();
    double startedAt = clock.elapsed() - (end - startNanos) / 1e9;
    Answer answer = new Answer(what, status, headers, body, startedAt, clock.elapsed(), error);
    if (error == null) {
      tally.answered(end, end - startNanos);
    }
    if (answer.failedByFault()) {
      errors.judge(answer);
    }
    return answer;
  }

  /**
   * True when {@code answer} has one of {@code statuses}. A failure by a fault was judged and
   * tallied already; any other status is tallied as unexpected ({@code "unexpected 401 at …"}).
   */
  public boolean expect(Answer answer, int... statuses) {
    for (int status : statuses) {
      if (answer.answered() && answer.status() == status) {
        return true;
      }
    }
    if (!answer.failedByFault()) {
      tally.failed(errors.blame(answer.startedAt(), answer.endedAt()), "unexpected " + answer.status() + " at "
          + answer.what());
      if (unexpectedLogged.incrementAndGet() <= 50) {
        LOG.warn("unexpected answer at {} s: {}", Math.round(answer.endedAt()), answer);
      }
    }
    return false;
  }

  /** Notes a failure of a scenario's own (a wrong field in an answer) under {@code kind}. */
  public void failed(String kind) {
    tally.failed(tally.clock().now(), kind);
  }

  /** Notes something sent at {@code sentAt} (seconds of the run) that never got its answer: a WebSocket echo. */
  public void unanswered(double sentAt, String kind) {
    errors.unanswered(sentAt, kind);
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
