package io.gatehouse.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one YAML mapping into typed values. Every problem (unknown key, wrong type, value out of
 * range) is recorded in {@link ConfigProblems} and the default is returned, so a single load
 * reports every error at once.
 */
final class Section {

  private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");
  private static final Pattern DECIMAL = Pattern.compile("\\d{1,9}(\\.\\d{1,9})?|\\.\\d{1,9}");
  private static final Pattern BYTES = Pattern.compile("(\\d{1,15})\\s*(B|KB|KiB|MB|MiB|GB|GiB)?");

  private final ConfigNode node;
  private final ConfigProblems problems;

  /** Opens {@code node} as a mapping whose keys must be among {@code allowed}. */
  Section(ConfigNode node, ConfigProblems problems, Set<String> allowed) {
    this.node = node;
    this.problems = problems;
    if (node.kind() == ConfigNode.Kind.MAP) {
      for (ConfigNode child : node.entries().values()) {
        String key = child.path().substring(child.path().lastIndexOf('.') + 1);
        if (!allowed.contains(key)) {
          problems.add(child, "unknown key (expected one of: " + String.join(", ", new TreeSet<>(allowed)) + ")");
        }
      }
    } else if (!node.isAbsent()) {
      problems.add(node, "expected a mapping, got " + node.describe());
    }
  }

  ConfigProblems problems() {
    return problems;
  }

  ConfigNode node() {
    return node;
  }

  ConfigNode get(String key) {
    return node.kind() == ConfigNode.Kind.MAP ? node.get(key) : ConfigNode.absent(node.childPath(key), node.line());
  }

  boolean has(String key) {
    return !get(key).isAbsent();
  }

  Section section(String key, Set<String> allowed) {
    return new Section(get(key), problems, allowed);
  }

  void problem(String key, String message) {
    problems.add(get(key), message);
  }

  String string(String key, String fallback) {
    ConfigNode value = get(key);
    if (value.isAbsent()) {
      return fallback;
    }
    if (value.kind() != ConfigNode.Kind.SCALAR) {
      problems.add(value, "expected a string, got " + value.describe());
      return fallback;
    }
    return value.text();
  }

  boolean bool(String key, boolean fallback) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        problem(key, "'" + text + "' (expected: true or false)");
        yield fallback;
      }
    };
  }

  int integer(String key, int fallback, int min, int max) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value < min || value > max) {
        problem(key, value + " (expected: " + min + ".." + max + ")");
        return fallback;
      }
      return value;
    } catch (NumberFormatException e) {
      problem(key, "'" + text + "' (expected: a whole number " + min + ".." + max + ")");
      return fallback;
    }
  }

  int port(String key, int fallback) {
    return integer(key, fallback, 0, 65535);
  }

  /**
   * A positive duration written as a number and a unit: {@code 500ms}, {@code 10s}, {@code 5m},
   * {@code 2h}, {@code 30d}. Zero is refused (it would mean "never" to some readers and "at once"
   * to others); there is no other floor, so a 5s session idle timeout is the operator's call.
   */
  Duration duration(String key, Duration fallback) {
    Duration value = durationOrZero(key, fallback);
    if (value.isZero() && has(key)) {
      problem(key, string(key, "") + " (expected: more than 0)");
      return fallback;
    }
    return value;
  }

  /** A duration that may be zero, for settings where 0 means "send none" ({@code hsts_max_age}, {@code max_age}). */
  Duration durationOrZero(String key, Duration fallback) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      problem(key, "'" + text + "' (expected: a duration such as 500ms, 10s, 5m, 2h or 30d)");
      return fallback;
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  /** A share written as a decimal number above 0 and at most 1 ({@code 0.5}); {@code fallback} when absent. */
  double fraction(String key, double fallback) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    double value = DECIMAL.matcher(text.trim()).matches() ? Double.parseDouble(text.trim()) : -1;
    if (value <= 0 || value > 1) {
      problem(key, "'" + text + "' (expected: a decimal number above 0 and at most 1, such as 0.5)");
      return fallback;
    }
    return value;
  }

  /** A size in bytes: a plain number or one with a unit ({@code 16KiB}, {@code 1MiB}, {@code 2GB}). */
  long bytes(String key, long fallback, long min, long max) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    Matcher m = BYTES.matcher(text.trim());
    if (!m.matches()) {
      problem(key, "'" + text + "' (expected: a size such as 16384, 16KiB or 1MiB)");
      return fallback;
    }
    long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
      case "KB" -> 1000L;
      case "KiB" -> 1024L;
      case "MB" -> 1000L * 1000;
      case "MiB" -> 1024L * 1024;
      case "GB" -> 1000L * 1000 * 1000;
      case "GiB" -> 1024L * 1024 * 1024;
      default -> 1L;
    };
    long value;
    try {
      value = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    } catch (ArithmeticException e) {
      value = Long.MAX_VALUE;
    }
    if (value < min || value > max) {
      problem(key, text + " (expected: " + min + ".." + max + " bytes)");
      return fallback;
    }
    return value;
  }

  /** An absolute http or https URL with a host and no user info, query or fragment. */
  URI httpUrl(String key, URI fallback) {
    ConfigNode value = get(key);
    String text = string(key, null);
    return text == null ? fallback : httpUrl(value, text, fallback);
  }

  URI httpUrl(ConfigNode where, String text, URI fallback) {
    try {
      URI uri = new URI(text.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        problems.add(where, "'" + text + "' (expected: an http:// or https:// URL)");
      } else if (uri.getHost() == null) {
        problems.add(where, "'" + text + "' (expected: a URL with a host)");
      } else if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        problems.add(where, "'" + text + "' (expected: a URL without user info, query or fragment)");
      } else {
        return uri;
      }
    } catch (URISyntaxException e) {
      problems.add(where, "'" + text + "' (expected: a URL; " + e.getReason() + ")");
    }
    return fallback;
  }

  /** A list of strings; a single scalar is accepted as a one-element list. */
  List<String> strings(String key, List<String> fallback) {
    ConfigNode value = get(key);
    if (value.isAbsent()) {
      return fallback;
    }
    List<String> out = new ArrayList<>();
    for (ConfigNode item : items(value)) {
      if (item.kind() == ConfigNode.Kind.SCALAR) {
        out.add(item.text());
      } else {
        problems.add(item, "expected a string, got " + item.describe());
      }
    }
    return List.copyOf(out);
  }

  /** The items of a list node; a non-list value is accepted as a list of one. */
  List<ConfigNode> items(ConfigNode value) {
    return switch (value.kind()) {
      case LIST -> value.items();
      case NULL -> List.of();
      default -> List.of(value);
    };
  }

  /** Parses each string item with {@code parser}, which throws IllegalArgumentException with the expectation. */
  <T> List<T> parsed(String key, Function<String, T> parser) {
    ConfigNode value = get(key);
    List<T> out = new ArrayList<>();
    for (ConfigNode item : items(value)) {
      if (item.kind() != ConfigNode.Kind.SCALAR) {
        problems.add(item, "expected a string, got " + item.describe());
        continue;
      }
      try {
        out.add(parser.apply(item.text()));
      } catch (IllegalArgumentException e) {
        problems.add(item, "'" + item.text() + "' (expected: " + e.getMessage() + ")");
      }
    }
    return List.copyOf(out);
  }
}
