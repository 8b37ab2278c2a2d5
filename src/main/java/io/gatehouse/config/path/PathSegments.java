package io.gatehouse.config.path;

/**
 * The segments of a normalised path as positions in it, without copying them: {@code "/a/b/"} is
 * {@code a}, {@code b} and a trailing slash; {@code "/"} is one empty segment. Route matching
 * compares literal segments in place. Immutable; one per routed request.
 */
public final class PathSegments {

  private final String path;
  private final int[] bounds; // start, end of each segment
  private final int count;
  private final boolean trailingSlash;

  private PathSegments(String path, int[] bounds, int count, boolean trailingSlash) {
    this.path = path;
    this.bounds = bounds;
    this.count = count;
    this.trailingSlash = trailingSlash;
  }

  /** @param normalized a path from {@link PathNormalizer#normalize}: starts with '/', no empty inner segments */
  public static PathSegments of(String normalized) {
    int length = normalized.length();
    int slashes = 0;
    for (int i = 0; i < length; i++) {
      if (normalized.charAt(i) == '/') {
        slashes++;
      }
    }
    int[] bounds = new int[2 * slashes];
    int count = 0;
    int start = 1;
    for (int i = 1; i <= length; i++) {
      if (i == length || normalized.charAt(i) == '/') {
        bounds[2 * count] = start;
        bounds[2 * count + 1] = i;
        count++;
        start = i + 1;
      }
    }
    boolean trailing = count > 1 && bounds[2 * count - 2] == bounds[2 * count - 1];
    return new PathSegments(normalized, bounds, trailing ? count - 1 : count, trailing);
  }

  public int count() {
    return count;
  }

  public boolean trailingSlash() {
    return trailingSlash;
  }

  public boolean isEmpty(int index) {
    return bounds[2 * index] == bounds[2 * index + 1];
  }

  public boolean equals(int index, String literal) {
    int start = bounds[2 * index];
    int length = bounds[2 * index + 1] - start;
    return length == literal.length() && path.regionMatches(start, literal, 0, length);
  }

  public String segment(int index) {
    return path.substring(bounds[2 * index], bounds[2 * index + 1]);
  }

  /** Segments {@code from} to the last, joined by '/', with the trailing slash if any; empty when none. */
  public String remainder(int from) {
    if (from >= count) {
      return "";
    }
    String rest = path.substring(bounds[2 * from], bounds[2 * (count - 1) + 1]);
    return trailingSlash ? rest + "/" : rest;
  }
}
