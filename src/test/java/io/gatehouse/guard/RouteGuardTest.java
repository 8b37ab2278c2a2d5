package io.gatehouse.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.AuthKind;
import io.gatehouse.config.AuthMethod;
import io.gatehouse.config.CorsConfig;
import io.gatehouse.config.MtlsConfig;
import io.gatehouse.http.Cors;
import io.gatehouse.http.EmbeddedExchanges;
import io.gatehouse.http.Origins;
import io.gatehouse.http.Principal;
import io.gatehouse.observability.AuditLog;
import io.gatehouse.support.DiscardedAudit;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a route's guard decides, row by row: which credential kinds admit, the CSRF check of cookie
 * callers (token or same origin), roles, scopes, a closed route and an open one, and the 401/403
 * answers with their RFC 6750 challenges. The authenticators are stand-ins that read fixed
 * headers; the guard, the CSRF check and the pipeline around them are the real ones.
 */
class RouteGuardTest {

  /** {@code Cookie: gh_session=<name>} or {@code Authorization: Bearer sess-<name>}: a session of that user. */
  private static final Authenticator SESSIONS = exchange -> {
    String cookie = exchange.cookie("gh_session");
    String bearer = Credentials.authorization(exchange, "Bearer");
    String name = cookie != null ? cookie : bearer != null && bearer.startsWith("sess-") ? bearer.substring(5) : null;
    if (name == null) {
      return Future.succeededFuture();
    }
    if (name.equals("expired")) {
      return Future.failedFuture(new CredentialRejected("expired"));
    }
    List<String> roles = name.equals("bob") ? List.of("admin") : List.of("user");
    return Future.succeededFuture(new Principal(name, roles, List.of(), null, AuthKind.SESSION, cookie != null, name));
  };

  /** {@code X-Api-Key: gh_<service>}: a service key with scope {@code read}. */
  private static final Authenticator API_KEYS = exchange -> {
    String key = exchange.header(Credentials.API_KEY_HEADER);
    return Future.succeededFuture(key == null || !key.startsWith("gh_") ? null
        : new Principal("service:" + key.substring(3), List.of(), List.of("read"), null, AuthKind.API_KEY, false, null));
  };

  private static final AuditLog AUDIT = DiscardedAudit.log();

  private static final Guards GUARDS;

  static {
    Origins origins = new Origins(URI.create("https://gw.example"));
    CsrfCheck csrf = new CsrfCheck(origins, new Cors(CorsConfig.NONE, origins),
        principal -> principal.viaCookie() ? "csrf-" + principal.subject() : null);
    GUARDS = new Guards(java.util.Map.of(AuthKind.SESSION, SESSIONS, AuthKind.API_KEY, API_KEYS), null,
        java.util.Map.of(), "https://gw.example", csrf, AUDIT, Clock.systemUTC());
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        row("no credential", "session", "", "", "GET", "", 401, "Bearer realm=\"gatehouse\""),
        row("a session cookie", "session", "", "", "GET", "Cookie: gh_session=alice", 200, "alice"),
        row("a refused credential", "session", "", "", "GET", "Cookie: gh_session=expired", 401, "invalid_token"),
        row("an unknown bearer value", "session", "", "", "GET", "Authorization: Bearer nonsense", 401,
            "invalid_token"),
        row("a cookie caller's change without CSRF proof", "session", "", "", "POST", "Cookie: gh_session=alice", 403,
            "csrf"),
        row("with the session's CSRF token", "session", "", "", "POST",
            "Cookie: gh_session=alice\r\nX-CSRF-Token: csrf-alice", 200, "alice"),
        row("with another session's CSRF token", "session", "", "", "POST",
            "Cookie: gh_session=alice\r\nX-CSRF-Token: csrf-bob", 403, "csrf"),
        row("from the gateway's own origin", "session", "", "", "DELETE",
            "Cookie: gh_session=alice\r\nOrigin: https://gw.example", 200, "alice"),
        row("from another origin", "session", "", "", "PUT",
            "Cookie: gh_session=alice\r\nOrigin: https://evil.example", 403, "csrf"),
        row("from an opaque origin", "session", "", "", "PATCH", "Cookie: gh_session=alice\r\nOrigin: null", 403,
            "csrf"),
        row("a bearer session's change needs no CSRF proof", "session", "", "", "POST", "Authorization: Bearer sess-bob",
            200, "bob"),
        row("a role the caller lacks", "session", "admin", "", "GET", "Cookie: gh_session=alice", 403, "forbidden"),
        row("a role the caller has", "session", "admin,editor", "", "GET", "Authorization: Bearer sess-bob", 200, "bob"),
        row("a scope the key lacks", "api_key", "", "write", "GET", "X-Api-Key: gh_billing", 403,
            "insufficient_scope"),
        row("a scope the key has", "api_key", "", "read", "GET", "X-Api-Key: gh_billing", 200, "service:billing"),
        row("the second kind listed admits", "session,api_key", "", "", "GET", "X-Api-Key: gh_billing", 200,
            "service:billing"),
        row("a kind the route does not list", "api_key", "", "", "GET", "Cookie: gh_session=alice", 401,
            "Bearer realm"),
        row("a route without auth admits nobody", "", "", "", "GET", "Cookie: gh_session=alice", 401, "Bearer realm"),
        row("an open route admits anyone", "none", "", "", "GET", "", 200, "-"));
  }

  private static Arguments row(String name, String auth, String roles, String scopes, String method, String headers,
      int status, String expected) {
    return Arguments.of(name, auth, roles, scopes, method, headers, status, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(String name, String auth, String roles, String scopes, String method, String headers, int status,
      String expected) {
    List<AuthMethod> methods = auth.isEmpty() ? List.of() : Arrays.stream(auth.split(",")).map(AuthMethod::parse).toList();
    RouteGuard guard = GUARDS.guard("r", methods, new MtlsConfig(List.of(), List.of()),
        RouteGuard.Policy.of(new RouteGuard.Access(names(roles), names(scopes), null), null));
    String request = method + " /x HTTP/1.1\r\nHost: gw.example\r\n" + (headers.isEmpty() ? "" : headers + "\r\n")
        + (method.equals("GET") ? "" : "Content-Length: 0\r\n") + "\r\n";
    String response = EmbeddedExchanges.exchange(EmbeddedExchanges.guarded(guard), request);
    assertThat(EmbeddedExchanges.status(response)).as(response).isEqualTo(status);
    assertThat(response).contains(expected);
  }

  private static List<String> names(String list) {
    return list.isEmpty() ? List.of() : List.of(list.split(","));
  }
}
