package io.gatehouse.config;

import java.util.List;
import java.util.Map;

/**
 * One value of a YAML document together with where it came from, so that every config error can
 * name the file line and the key path ({@code routes[2].timeout}).
 *
 * <p>Scalars keep their text after {@code ${ENV}} substitution; typing happens in {@link Section}.
 */
final class ConfigNode {

  enum Kind { MAP, LIST, SCALAR, NULL }

  private final Kind kind;
  private final String path;
  private final int line;
  private final String text;
  private final Map<String, ConfigNode> entries;
  private final List<ConfigNode> items;

  private ConfigNode(Kind kind, String path, int line, String text,
      Map<String, ConfigNode> entries, List<ConfigNode> items) {
    this.kind = kind;
    this.path = path;
    this.line = line;
    this.text = text;
    this.entries = entries;
    this.items = items;
  }

  static ConfigNode map(String path, int line, Map<String, ConfigNode> entries) {
    return new ConfigNode(Kind.MAP, path, line, null, Map.copyOf(entries), List.of());
  }

  static ConfigNode list(String path, int line, List<ConfigNode> items) {
    return new ConfigNode(Kind.LIST, path, line, null, Map.of(), List.copyOf(items));
  }

  static ConfigNode scalar(String path, int line, String text) {
    return new ConfigNode(Kind.SCALAR, path, line, text, Map.of(), List.of());
  }

  /** A key that is absent or explicitly {@code null}: readers treat both as "use the default". */
  static ConfigNode absent(String path, int line) {
    return new ConfigNode(Kind.NULL, path, line, null, Map.of(), List.of());
  }

  Kind kind() {
    return kind;
  }

  String path() {
    return path;
  }

  int line() {
    return line;
  }

  String text() {
    return text;
  }

  Map<String, ConfigNode> entries() {
    return entries;
  }

  List<ConfigNode> items() {
    return items;
  }

  boolean isAbsent() {
    return kind == Kind.NULL;
  }

  /** The entry at {@code key}, or an absent node that still knows its path and a nearby line. */
  ConfigNode get(String key) {
    ConfigNode child = entries.get(key);
    return child != null ? child : absent(childPath(key), line);
  }

  String childPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** What the value looks like, for messages such as "expected a list, got a mapping". */
  String describe() {
    return switch (kind) {
      case MAP -> "a mapping";
      case LIST -> "a list";
      case NULL -> "nothing";
      case SCALAR -> "'" + text + "'";
    };
  }
}
