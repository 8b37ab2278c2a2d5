package io.gatehouse.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in config scalars with environment values;
 * {@code $$} stands for a literal {@code $}. A variable that is unset and has no default is an error,
 * never an empty string, so a missing secret cannot silently become "".
 */
final class EnvSubstitution {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

  private final Map<String, String> environment;

  EnvSubstitution(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  String apply(ConfigNode scalar, ConfigProblems problems) {
    String text = scalar.text();
    if (text.indexOf('$') < 0) {
      return text;
    }
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$$")) {
        replacement = "$";
      } else {
        String value = environment.get(m.group(1));
        if (value == null || (value.isEmpty() && m.group(2) != null)) {
          value = m.group(3);
        }
        if (value == null) {
          problems.add(scalar, "environment variable " + m.group(1) + " is not set (use ${" + m.group(1) + ":-default} for a default)");
          value = "";
        }
        replacement = value;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
