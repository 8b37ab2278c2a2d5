package io.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.AuthKind;
import io.gatehouse.config.Cidr;
import io.gatehouse.http.EmbeddedExchanges;
import io.gatehouse.http.Principal;
import io.gatehouse.http.Response;
import io.gatehouse.http.Stage;
import io.gatehouse.http.TrustedProxies;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The header rules toward an upstream, row by row: what a client sends, who admitted it, whether
 * the route forwards credentials, and what the upstream must (not) see. The request runs through
 * the real pipeline on an embedded channel (an untrusted peer); its target applies
 * {@link ProxyHeaders#toUpstream} to a copy of the request's headers and answers them.
 */
class ProxyHeadersTest {

  static final String ISSUER = "https://gw.example";
  /** A JWT whose {@code iss} is Gatehouse's (unsigned: the proxy reads, never verifies). */
  static final String OWN_JWT = "eyJhbGciOiJFUzI1NiJ9." + base64("{\"iss\":\"" + ISSUER + "\",\"sub\":\"u1\"}") + ".c2ln";
  static final String OTHER_JWT = "eyJhbGciOiJFUzI1NiJ9." + base64("{\"iss\":\"https://idp.example\"}") + ".c2ln";
  static final String SESSION = "A".repeat(43);
  /** The W3C Trace Context examples' trace id. */
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  static String base64(String json) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        row("a client's identity header", null, false, "X-Gatehouse-Subject: admin", "x-gatehouse-subject", null),
        row("a client's traceparent: same trace, Gatehouse's span as parent", null, false,
            "traceparent: 00-" + TRACE_ID + "-00f067aa0ba902b7-01\r\ntracestate: congo=t61rcWkgMzE",
            "00f067aa0ba902b7", "traceparent: 00-" + TRACE_ID + "-"),
        row("its tracestate, beside a valid traceparent", null, false,
            "traceparent: 00-" + TRACE_ID + "-00f067aa0ba902b7-01\r\ntracestate: congo=t61rcWkgMzE", null,
            "tracestate: congo=t61rcWkgMzE"),
        row("a tracestate beside an invalid traceparent", null, false,
            "traceparent: 00-" + TRACE_ID.toUpperCase() + "-00f067aa0ba902b7-01\r\ntracestate: congo=t61rcWkgMzE",
            "tracestate", null),
        row("under another spelling", null, false, "X_Gatehouse_Roles: admin", "x_gatehouse_roles", null),
        row("the admitted caller's identity", AuthKind.SESSION, false, "", null, "x-gatehouse-subject: u1"),
        row("a bearer session token", null, false, "Authorization: Bearer " + SESSION, "authorization", null),
        row("an API key in Authorization", null, false, "Authorization: ApiKey gh_0123456789ab_x", "authorization", null),
        row("a bearer API key", null, false, "Authorization: Bearer gh_0123456789ab_x", "authorization", null),
        row("an API key header", null, false, "X-Api-Key: gh_0123456789ab_x", "x-api-key", null),
        row("an own JWT on an open route", null, false, "Authorization: Bearer " + OWN_JWT, "authorization", null),
        row("the JWT that admitted the caller", AuthKind.JWT, false, "Authorization: Bearer " + OTHER_JWT,
            "authorization", "x-gatehouse-auth: jwt"),
        row("another issuer's JWT on an open route", null, false, "Authorization: Bearer " + OTHER_JWT, null,
            "authorization: Bearer " + OTHER_JWT),
        row("credentials forwarded when the route says so", null, true, "Authorization: Bearer " + OWN_JWT, null,
            "authorization: Bearer " + OWN_JWT),
        row("an API key forwarded when the route says so", null, true, "X-Api-Key: gh_0123456789ab_x", null,
            "x-api-key: gh_0123456789ab_x"),
        row("the session cookie, other cookies kept", null, false, "Cookie: gh_session=" + SESSION + "; theme=dark",
            null, "cookie: theme=dark"),
        row("an untrusted peer's X-Forwarded-For is replaced", null, false, "X-Forwarded-For: 203.0.113.9",
            "203.0.113.9", "x-forwarded-for: "),
        row("headers named in Connection", null, false, "Connection: X-Secret\r\nX-Secret: 1", "x-secret", null),
        row("routing headers from an untrusted peer", null, false, "X-Original-URL: /admin", "x-original-url", null),
        row("hop-by-hop headers", null, false, "Proxy-Authorization: Basic eA==\r\nTE: trailers",
            "proxy-authorization", null),
        row("an ordinary header", null, false, "X-Request-Kind: plain", null, "x-request-kind: plain"));
  }

  private static Arguments row(String name, AuthKind admittedBy, boolean forwardCredentials, String headers,
      String mustNotSee, String mustSee) {
    return Arguments.of(name, admittedBy, forwardCredentials, headers, mustNotSee, mustSee);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void toUpstream(String name, AuthKind admittedBy, boolean forwardCredentials, String headers, String mustNotSee,
      String mustSee) {
    ProxyHeaders rules = new ProxyHeaders(new TrustedProxies(List.of(Cidr.parse("192.0.2.1"))), "gh_session", ISSUER);
    Stage guard = exchange -> {
      if (admittedBy != null) {
        exchange.principal(new Principal("u1", List.of("user"), List.of(), null, admittedBy, false, null));
      }
      return Stage.CONTINUE;
    };
    String response = EmbeddedExchanges.exchange(EmbeddedExchanges.pipeline(guard, exchange -> {
      HttpHeaders upstream = exchange.head().headers().copy();
      rules.toUpstream(upstream, exchange, "upstream.internal", forwardCredentials, false, false, null,
          exchange.trace());
      String seen = upstream.entries().stream().map(h -> h.getKey().toLowerCase() + ": " + h.getValue())
          .collect(Collectors.joining("\n"));
      exchange.respond(Response.status(200).body(seen.getBytes(StandardCharsets.UTF_8), "text/plain").build());
    }), "GET /x HTTP/1.1\r\nHost: gw.example\r\n" + (headers.isEmpty() ? "" : headers + "\r\n") + "\r\n");
    String seen = response.substring(response.indexOf("\r\n\r\n") + 4);
    if (mustNotSee != null) {
      assertThat(seen.toLowerCase()).as(response).doesNotContain(mustNotSee.toLowerCase());
    }
    if (mustSee != null) {
      assertThat(seen).as(response).contains(mustSee);
    }
    assertThat(seen).contains("host: upstream.internal");
  }
}
