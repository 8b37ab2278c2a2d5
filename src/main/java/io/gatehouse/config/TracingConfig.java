package io.gatehouse.config;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Export of the spans Gatehouse records, {@code tracing}. Off by default: W3C trace context is
 * passed on to upstreams and its trace id logged either way, but spans are recorded and sent only
 * with {@code export: otlp}, as OTLP/HTTP protobuf to {@code endpoint}. {@code endpoint} and
 * {@code sample_ratio} are checked whatever {@code export} says, so one file can switch export on
 * and off by a variable.
 *
 * @param export where spans go: nowhere, or to an OTLP/HTTP receiver (a collector, an agent)
 * @param endpoint the receiver's traces URL, path included (default {@code http://localhost:4318/v1/traces})
 * @param sampleRatio the share of traces started here that are recorded, above 0 and at most 1 (default
 *     1); a caller's {@code sampled} flag decides for a trace it started, unless {@code followCaller} is false
 * @param followCaller {@code caller_sampled: follow} (the default): a caller's {@code sampled} flag
 *     decides whether its trace is recorded here; {@code ignore}: the ratio decides for every trace,
 *     by its trace id, so callers on the internet cannot have all their requests recorded
 */
public record TracingConfig(Export export, URI endpoint, double sampleRatio, boolean followCaller) {

  /** The OTLP/HTTP receiver's default address (OpenTelemetry's own default for OTLP over HTTP). */
  public static final URI DEFAULT_ENDPOINT = URI.create("http://localhost:4318/v1/traces");
  /** No export: the default. */
  public static final TracingConfig NONE = new TracingConfig(Export.NONE, DEFAULT_ENDPOINT, 1.0, true);

  /** {@code tracing.export}. */
  public enum Export {
    NONE, OTLP;

    static Export parse(String text) {
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "none" -> NONE;
        case "otlp" -> OTLP;
        default -> throw new IllegalArgumentException("none or otlp");
      };
    }
  }

  /** Whether spans are recorded and exported. */
  public boolean exports() {
    return export != Export.NONE;
  }

  static TracingConfig read(Section root) {
    Section s = root.section("tracing", Set.of("export", "endpoint", "sample_ratio", "caller_sampled"));
    Export export = Export.NONE;
    String text = s.string("export", null);
    if (text != null) {
      try {
        export = Export.parse(text.trim());
      } catch (IllegalArgumentException e) {
        s.problem("export", "'" + text + "' (expected: " + e.getMessage() + ")");
      }
    }
    boolean followCaller = true;
    String caller = s.string("caller_sampled", null);
    if (caller != null) {
      switch (caller.trim().toLowerCase(Locale.ROOT)) {
        case "follow" -> followCaller = true;
        case "ignore" -> followCaller = false;
        default -> s.problem("caller_sampled", "'" + caller + "' (expected: follow or ignore)");
      }
    }
    return new TracingConfig(export, s.httpUrl("endpoint", DEFAULT_ENDPOINT), s.fraction("sample_ratio", 1.0),
        followCaller);
  }
}
