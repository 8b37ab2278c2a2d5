package io.gatehouse.support;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Where a test gateway's access log goes: every line kept, parsed on demand. Thread-safe. */
public final class AccessLines extends OutputStream {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  @Override
  public synchronized void write(int b) {
    bytes.write(b);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    bytes.write(b, off, len);
  }

  public synchronized String raw() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  public List<JsonObject> json() {
    return raw().lines().filter(line -> !line.isBlank()).map(JsonObject::new).toList();
  }

  /** The lines matching {@code filter}, waiting up to 5 s for at least one (lines are flushed every 100 ms). */
  public List<JsonObject> await(Predicate<JsonObject> filter) throws Exception {
    // Waiting for the access log's writer thread, not on time itself.
    return Eventually.read(() -> json().stream().filter(filter).toList(), found -> !found.isEmpty(),
        Duration.ofSeconds(5));
  }
}
