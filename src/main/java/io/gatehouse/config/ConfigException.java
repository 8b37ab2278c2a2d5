package io.gatehouse.config;

import java.util.List;

/** The config could not be loaded; {@link #problems()} holds every error found, one line each. */
public final class ConfigException extends Exception {

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(problems.size() == 1 ? problems.get(0) : problems.size() + " config errors:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
