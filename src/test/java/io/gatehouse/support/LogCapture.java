package io.gatehouse.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/** Captures what a logger writes, encoded by the same JSON encoder as production, as parsed lines. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final LogstashEncoder encoder = new LogstashEncoder();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger logger;

  public LogCapture(String loggerName) {
    logger = (Logger) LoggerFactory.getLogger(loggerName);
    encoder.setContext(logger.getLoggerContext());
    encoder.start();
    setContext(logger.getLoggerContext());
    start();
    logger.addAppender(this);
  }

  @Override
  protected void append(ILoggingEvent event) {
    lines.add(new String(encoder.encode(event), StandardCharsets.UTF_8).trim());
  }

  public List<String> raw() {
    return List.copyOf(lines);
  }

  public List<JsonObject> json() {
    return lines.stream().map(JsonObject::new).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    stop();
  }
}
