package io.gatehouse.config;

import java.time.Duration;
import java.util.Set;

/**
 * How a running Gatehouse notices changes by itself, {@code reload}: the TLS certificate, key and
 * client CA files are checked every {@code interval} and read again when they change (cert-manager
 * and ACME renewals); with {@code watch: true} the config file is too, and reloaded when it changes.
 * A reload can always be asked for: {@code gatehouse reload}, SIGHUP, or
 * {@code POST /admin/config/reload}.
 *
 * @param watch reload when the config file changes (off by default: an edit in progress is not a release)
 * @param interval how often the watched files are checked
 */
public record ReloadConfig(boolean watch, Duration interval) {

  public static final ReloadConfig DEFAULT = new ReloadConfig(false, Duration.ofSeconds(5));

  static ReloadConfig read(Section root) {
    Section s = root.section("reload", Set.of("watch", "interval"));
    boolean watch = s.bool("watch", false);
    Duration interval = s.duration("interval", DEFAULT.interval());
    if (interval.compareTo(Duration.ofMillis(100)) < 0) {
      s.problem("interval", interval + " (expected: at least 100ms)");
      interval = DEFAULT.interval();
    }
    return new ReloadConfig(watch, interval);
  }
}
