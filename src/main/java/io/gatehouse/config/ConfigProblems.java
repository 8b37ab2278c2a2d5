package io.gatehouse.config;

import java.util.ArrayList;
import java.util.List;

/** Collects config errors as {@code file:line: key.path: message} so that one load reports all of them. */
final class ConfigProblems {

  private final String source;
  private final List<String> messages = new ArrayList<>();

  ConfigProblems(String source) {
    this.source = source;
  }

  void add(ConfigNode node, String message) {
    add(node.line(), node.path(), message);
  }

  void add(int line, String path, String message) {
    String where = path.isEmpty() ? "" : path + ": ";
    messages.add(source + ":" + line + ": " + where + message);
  }

  boolean isEmpty() {
    return messages.isEmpty();
  }

  void throwIfAny() throws ConfigException {
    if (!messages.isEmpty()) {
      throw new ConfigException(messages);
    }
  }
}
