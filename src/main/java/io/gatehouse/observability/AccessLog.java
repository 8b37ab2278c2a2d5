package io.gatehouse.observability;

import static net.logstash.logback.marker.Markers.appendEntries;

import java.util.LinkedHashMap;
import java.util.Map;
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
    // One map marker rather than a chain of one marker per field: the chain is walked on every
    // marker lookup and showed up in profiles of the proxy path.
    Map<String, Object> fields = new LinkedHashMap<>(16);
    fields.put("request_id", r.requestId());
    fields.put("method", r.method());
    fields.put("path", r.path());
    fields.put("route", r.route());
    fields.put("status", r.status());
    fields.put("bytes", r.bytes());
    fields.put("duration_ms", round(r.durationMillis()));
    fields.put("ip", r.ip());
    if (r.upstreamMillis() >= 0) {
      fields.put("upstream_ms", round(r.upstreamMillis()));
    }
    if (r.subject() != null) {
      fields.put("subject", r.subject());
    }
    if (r.client() != null) {
      fields.put("client", r.client());
    }
    LOG.info(appendEntries(fields), "access");
  }

  private static double round(double millis) {
    return Math.round(millis * 1000) / 1000.0;
  }
}
