package io.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Config;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.http.RouteMatch;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  private static RouteTable<RouteConfig> table(String routes) throws Exception {
    Config config = new ConfigLoader(Map.of()).parse("routes:\n" + routes, "t.yaml");
    return new RouteTable<>(config.routes(), RouteConfig::selector);
  }

  private static String route(RouteTable<RouteConfig> table, String method, String host, String path) {
    RouteMatch<RouteConfig> match = table.match(method, host, path);
    return match == null ? null : match.route().id();
  }

  @Test
  void mostSpecificPatternWinsWhateverTheOrder() throws Exception {
    RouteTable<RouteConfig> table = table("""
          - { id: all, path: /**, respond: {}, auth: [none] }
          - { id: api, path: /api/**, respond: {}, auth: [none] }
          - { id: one, path: /api/*, respond: {}, auth: [none] }
          - { id: book, path: "/api/books/{id}", respond: {}, auth: [none] }
          - { id: exact, path: /api/books/new, respond: {}, auth: [none] }
          - { id: prefix-exact, path: /api, respond: {}, auth: [none] }
        """);
    assertThat(route(table, "GET", null, "/api/books/new")).isEqualTo("exact");
    assertThat(route(table, "GET", null, "/api/books/42")).isEqualTo("book");
    assertThat(route(table, "GET", null, "/api/books")).isEqualTo("one");
    assertThat(route(table, "GET", null, "/api/books/42/pages")).isEqualTo("api");
    assertThat(route(table, "GET", null, "/api")).isEqualTo("prefix-exact");
    assertThat(route(table, "GET", null, "/api/")).as("a trailing slash does not change the choice").isEqualTo("prefix-exact");
    assertThat(route(table, "GET", null, "/other")).isEqualTo("all");
    assertThat(route(table, "GET", null, "/")).isEqualTo("all");
  }

  @Test
  void prefixMatchesWholeSegmentsOnly() throws Exception {
    RouteTable<RouteConfig> table = table("  - { id: api, path: /api/**, respond: {}, auth: [none] }\n");
    assertThat(route(table, "GET", null, "/api")).isEqualTo("api");
    assertThat(route(table, "GET", null, "/apix")).isNull();
    assertThat(route(table, "GET", null, "/ap")).isNull();
  }

  @Test
  void methodAndHostFilters() throws Exception {
    RouteTable<RouteConfig> table = table("""
          - { id: any, path: /x, respond: {}, auth: [none] }
          - { id: post, path: /x, methods: [POST], respond: {}, auth: [none] }
          - { id: host, path: /x, hosts: [api.example.com, "*.example.org"], respond: {}, auth: [none] }
        """);
    assertThat(route(table, "GET", "other", "/x")).isEqualTo("any");
    assertThat(route(table, "POST", "other", "/x")).isEqualTo("post");
    assertThat(route(table, "GET", "API.example.com", "/x")).isEqualTo("host");
    assertThat(route(table, "GET", "a.example.org.", "/x")).isEqualTo("host");
    assertThat(route(table, "GET", "example.org", "/x")).isEqualTo("any");
    assertThat(route(table, "GET", "evilexample.org", "/x")).isEqualTo("any");
  }

  @Test
  void stripPrefixAndRewriteBuildTheUpstreamPath() throws Exception {
    RouteTable<RouteConfig> table = table("""
          - { id: strip, path: /api/books/**, strip_prefix: /api, respond: {}, auth: [none] }
          - { id: root, path: /svc/**, strip_prefix: /svc, respond: {}, auth: [none] }
          - { id: rewrite, path: "/v1/items/{id}/**", rewrite: "/items/{id}/v2/{**}", respond: {}, auth: [none] }
          - { id: plain, path: /plain/*, respond: {}, auth: [none] }
        """);
    assertThat(table.match("GET", null, "/api/books/7").upstreamPath()).isEqualTo("/books/7");
    assertThat(table.match("GET", null, "/svc").upstreamPath()).isEqualTo("/");
    assertThat(table.match("GET", null, "/svc/a/").upstreamPath()).isEqualTo("/a/");
    assertThat(table.match("GET", null, "/v1/items/9/a/b").upstreamPath()).isEqualTo("/items/9/v2/a/b");
    assertThat(table.match("GET", null, "/plain/x").upstreamPath()).isEqualTo("/plain/x");
    assertThat(table.match("GET", null, "/plain/")).isNull();
  }

  @Test
  void aTrailingSlashNeverFallsThroughToALessSpecificRoute() throws Exception {
    RouteTable<RouteConfig> table = table("""
          - { id: user, path: "/api/users/{id}", respond: {}, auth: [session] }
          - { id: open, path: /api/**, respond: {}, auth: [none] }
        """);
    assertThat(route(table, "GET", null, "/api/users/42")).isEqualTo("user");
    assertThat(route(table, "GET", null, "/api/users/42/")).isEqualTo("user");
    assertThat(table.match("GET", null, "/api/users/42/").upstreamPath()).as("the upstream still gets the slash")
        .isEqualTo("/api/users/42/");
    assertThat(route(table, "GET", null, "/api/users/42/x")).isEqualTo("open");
  }

  @Test
  void theRemainderKeepsItsTrailingSlash() throws Exception {
    RouteTable<RouteConfig> table = table("""
          - { id: v2, path: /v1/**, rewrite: "/v2/{**}", respond: {}, auth: [none] }
        """);
    assertThat(table.match("GET", null, "/v1/a/b/").upstreamPath()).isEqualTo("/v2/a/b/");
    assertThat(table.match("GET", null, "/v1/").upstreamPath()).isEqualTo("/v2/");
  }
}
