package io.gatehouse.config.path;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The upstream path of a route as a template over its pattern's captures: {@code /v2/items/{id}}
 * for {@code /books/{id}}, and {@code {**}} for the remainder under a final {@code /**}. Captured
 * values are segments of the normalised path, so a rewrite cannot introduce dot segments or slashes.
 */
public final class PathRewrite {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\*\\*|[A-Za-z_][A-Za-z0-9_]{0,31})}");

  /** Literal text and placeholder indexes, alternating; an index of -1 means the {@code **} remainder. */
  private final List<Object> parts;

  private PathRewrite(List<Object> parts) {
    this.parts = parts;
  }

  public static PathRewrite compile(String template, PathPattern pattern) {
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException("expected: a path starting with /");
    }
    List<Object> parts = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(template);
    int last = 0;
    while (m.find()) {
      parts.add(literal(template.substring(last, m.start())));
      String name = m.group(1);
      if (name.equals("**")) {
        if (!pattern.endsWithRest()) {
          throw new IllegalArgumentException("expected: {**} only when path ends in /**");
        }
        parts.add(-1);
      } else {
        int index = pattern.captureNames().indexOf(name);
        if (index < 0) {
          throw new IllegalArgumentException("expected: placeholders captured by path, " + pattern.captureNames());
        }
        parts.add(index);
      }
      last = m.end();
    }
    parts.add(literal(template.substring(last)));
    return new PathRewrite(List.copyOf(parts));
  }

  private static String literal(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (!PathNormalizer.isAllowedRaw(text.charAt(i))) {
        throw new IllegalArgumentException("expected: literal text of letters, digits, / and -._~!$&'()+,=:@");
      }
    }
    return text;
  }

  /** Builds the upstream path from a match's captures (see {@link PathPattern#match}). */
  public String apply(String[] captures) {
    StringBuilder out = new StringBuilder();
    for (Object part : parts) {
      if (part instanceof String literal) {
        out.append(literal);
      } else {
        int index = (Integer) part;
        out.append(index < 0 ? captures[captures.length - 1] : captures[index]);
      }
    }
    return out.toString();
  }
}
