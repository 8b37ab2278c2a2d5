package io.gatehouse.gateway;

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
      "/public/%2e%2e/admin, /admin",
      "/public/%2E%2e/admin, /admin",
      "/public/.%2e/admin, /admin",
      "/a/./b, /a/b",
      "/a/b/., /a/b/",
      "/a/b/.., /a/",
      "/a/.., /",
      "/%7Euser, /~user",
      "/%41%62c, /Abc",
      "/a%3ab, /a%3Ab",
      "/a%3Fb, /a%3Fb",
      "/caf%C3%A9, /caf%C3%A9",
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

  @ParameterizedTest
  @ValueSource(strings = {"/", "/api/books/123", "/a-b_c.d~e"})
  void returnsNormalPathsUnchanged(String raw) {
    assertThat(PathNormalizer.normalize(raw)).isSameAs(raw);
  }
}
