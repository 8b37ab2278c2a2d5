package io.gatehouse.gateway;

import io.gatehouse.http.RouteMatch;
import io.gatehouse.config.path.PathNormalizer;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.RouteConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz tests of path normalisation and route choice ({@link PathNormalizer}, {@link RouteTable}).
 * A request path reaches the gateway as the bytes of the request line, which Netty hands over as
 * ISO-8859-1 characters; the inputs are read the same way.
 *
 * <p>Properties: normalising is idempotent and yields only RFC 3986 path characters; a trailing
 * slash never changes the route; and a path that any common upstream would read as lying under
 * the protected {@code /admin} prefix is either refused or routed to the protected route, never
 * to the open catch-all. "Any common upstream" is {@link #lenientFirstSegment}: one percent-decoding,
 * NFKC, backslashes as slashes, path parameters cut at {@code ;}, dot segments resolved and
 * clamped at the root, empty segments dropped. Case is not folded: routes are case-sensitive by
 * contract, and an upstream that folds case must be given routes that say so.
 */
@Timeout(10)
class PathRoutingFuzzTest {

  private static final RouteTable<RouteConfig> TABLE = table();

  private static RouteTable<RouteConfig> table() {
    try {
      return new RouteTable<>(new ConfigLoader(Map.of()).parse("""
          routes:
            - { id: admin, path: /admin/**, respond: {}, auth: [jwt] }
            - { id: public, path: /public/**, respond: {}, auth: [none] }
            - { id: open, path: /**, respond: {}, auth: [none] }
          """, "fuzz.yaml").routes(), RouteConfig::selector);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @FuzzTest
  void normalisation(byte[] input) {
    String raw = new String(input, StandardCharsets.ISO_8859_1);
    String normal = PathNormalizer.normalize(raw);
    if (normal == null) {
      return;
    }
    assertThat(PathNormalizer.normalize(normal)).as("normalising twice").isEqualTo(normal);
    assertThat(normal).startsWith("/").doesNotContain("//").doesNotContain(";").doesNotContain("\\");
    for (String segment : normal.substring(1).split("/", -1)) {
      assertThat(segment).as("dot segments are resolved").isNotIn(".", "..");
    }
    for (int i = 0; i < normal.length(); i++) {
      char c = normal.charAt(i);
      if (c == '%') {
        assertThat(normal.substring(i + 1, Math.min(i + 3, normal.length()))).as("an escape, upper case")
            .matches("[0-9A-F]{2}");
      } else {
        assertThat(PathNormalizer.isAllowedRaw(c)).as("character %s", (int) c).isTrue();
      }
    }
  }

  @FuzzTest
  void protectedPrefixStaysProtected(byte[] input) {
    String raw = new String(input, StandardCharsets.ISO_8859_1);
    String normal = PathNormalizer.normalize(raw);
    if (normal == null) {
      return; // refused with 400: nothing reaches an upstream
    }
    RouteMatch<RouteConfig> match = TABLE.match("GET", null, normal);
    assertThat(match).as("the catch-all takes every path").isNotNull();
    String chosen = match.route().id();
    if ("admin".equals(lenientFirstSegment(raw)) || "admin".equals(lenientFirstSegment(normal))) {
      assertThat(chosen).as("%s, normalised to %s, reads as /admin upstream", raw, normal).isEqualTo("admin");
    }
    if (!normal.endsWith("/")) {
      assertThat(TABLE.match("GET", null, normal + "/").route().id()).as("a trailing slash").isEqualTo(chosen);
    }
  }

  /** The first path segment as a lenient upstream would read {@code path}. */
  static String lenientFirstSegment(String path) {
    String decoded = Normalizer.normalize(percentDecode(path), Normalizer.Form.NFKC).replace('\\', '/');
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : decoded.split("/")) {
      int parameters = segment.indexOf(';');
      String name = parameters < 0 ? segment : segment.substring(0, parameters);
      if (name.equals("..")) {
        segments.pollLast();
      } else if (!name.isEmpty() && !name.equals(".")) {
        segments.addLast(name);
      }
    }
    return segments.peekFirst();
  }

  private static String percentDecode(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int hi = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int lo = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
      if (c == '%' && hi >= 0 && lo >= 0) {
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
