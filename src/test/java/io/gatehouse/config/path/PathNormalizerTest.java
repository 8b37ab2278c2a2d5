package io.gatehouse.config.path;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathNormalizerTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "/, /",
      "/api/books, /api/books",
      "/api/books/, /api/books/",
      "//admin, /admin",
      "/a//b///c, /a/b/c",
      "/public/../admin, /admin",
      "/a/./b, /a/b",
      "/a/b/., /a/b/",
      "/a/b/.., /a/",
      "/a/.., /",
      "/%7Euser, /~user",
      "/%41%62c, /Abc",
      "/a%3ab, /a%3Ab",
      "/a%3Fb, /a%3Fb",
      "/caf%C3%A9, /caf%C3%A9",
      "/caf%c3%a9/%e2%82%ac, /caf%C3%A9/%E2%82%AC",
      "/a/b/, /a/b/",
      "'/a:b@c!$&()*+,=', '/a:b@c!$&()*+,='",
  })
  void normalises(String raw, String expected) {
    assertThat(PathNormalizer.normalize(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/public/..%2fadmin", "/public/..%2Fadmin", "/a%2fb", "/a%5cb", "/a\\b", "/a%00b", "/a%0d%0aSet-Cookie:x",
      "/admin;x=1", "/a;", "/%zz", "/%4", "/%", "/..", "/a/../..", "/%2e%2e", "/a b", "/a\"b", "/a<b>", "/a#b",
      "/a?b", "/café", "/a\u0000", "relative", "", "*", "/a%7f",
  })
  void refuses(String raw) {
    assertThat(PathNormalizer.normalize(raw)).isNull();
  }

  /** Escapes that servers disagree about, and Unicode that a normalising upstream would turn into ASCII. */
  @ParameterizedTest
  @ValueSource(strings = {
      "/public/%2e%2e/admin", "/public/%2E%2e/admin", "/public/.%2e/admin", "/a%2e", "/file%2Etxt", // encoded '.'
      "/a%3bb", "/a%3B", // encoded ';'
      "/a%c0%ae%c0%ae/admin", "/%e0%80%ae", // overlong UTF-8 for '.'
      "/a%ff", "/a%c3", "/a%c3%28", "/a%ed%a0%80", "/a%f8%88%80%80%80", // invalid UTF-8, surrogate, 5-byte form
      "/public/%ef%bc%8e%ef%bc%8e/admin", "/a%EF%BC%8F", "/a%ef%bc%bc", // full-width '.', '/', '\'
      "/a%e2%80%a4%e2%80%a4", "/a%ef%b9%92", // one dot leader, small full stop
      "/%ef%bd%81dmin", "/%ef%ac%81le", // full-width 'a', the 'fi' ligature
      "/a%c2%85", // a C1 control
  })
  void refusesAmbiguousEncodings(String raw) {
    assertThat(PathNormalizer.normalize(raw)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/api/books/123", "/a-b_c.d~e"})
  void returnsNormalPathsUnchanged(String raw) {
    assertThat(PathNormalizer.normalize(raw)).isSameAs(raw);
  }
}
