package io.gatehouse.observability;

import static net.logstash.logback.marker.Markers.append;

import net.logstash.logback.marker.LogstashMarker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON line per request to the {@code gatehouse.access} logger (fields as in DESIGN.md).
 * Logback's async appender does the I/O off the event loop.
 */
public final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("gatehouse.access");

  public void record(AccessRecord r) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LogstashMarker fields = append("request_id", r.requestId())
        .and(append("method", r.method()))
        .and(append("path", r.path()))
        .and(append("route", r.route()))
        .and(append("status", r.status()))
        .and(append("bytes", r.bytes()))
        .and(append("duration_ms", round(r.durationMillis())))
        .and(append("ip", r.ip()));
    if (r.upstreamMillis() >= 0) {
      fields = fields.and(append("upstream_ms", round(r.upstreamMillis())));
    }
    if (r.subject() != null) {
      fields = fields.and(append("subject", r.subject()));
    }
    if (r.client() != null) {
      fields = fields.and(append("client", r.client()));
    }
    LOG.info(fields, "access");
  }

  private static double round(double millis) {
    return Math.round(millis * 1000) / 1000.0;
  }
}
