package io.gatehouse.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.AuthKind;
import io.gatehouse.config.AuthMethod;
import io.gatehouse.config.CorsConfig;
import io.gatehouse.config.MtlsConfig;
import io.gatehouse.http.Cors;
import io.gatehouse.http.EmbeddedExchanges;
import io.gatehouse.http.FormCsrf;
import io.gatehouse.http.Origins;
import io.gatehouse.http.Principal;
import io.gatehouse.observability.AuditLog;
import io.gatehouse.support.DiscardedAudit;
import io.vertx.core.Future;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The forms' CSRF proofs that built-in endpoints declare, checked by the guard on a body it read
 * first, row by row: the login form's double submit (an open endpoint: cookie and field equal, no
 * foreign {@code Origin}) and the consent form's session token. The session authenticator is a
 * stand-in; the guard, the CSRF check, the body gathering and the pipeline are the real ones.
 */
class FormCsrfTest {

  private static final String FORM = "Content-Type: application/x-www-form-urlencoded";

  /** {@code Cookie: gh_session=<name>}: a cookie session of that user, whose CSRF token is {@code csrf-<name>}. */
  private static final Authenticator SESSIONS = exchange -> {
    String name = exchange.cookie("gh_session");
    return Future.succeededFuture(name == null ? null
        : new Principal(name, List.of("user"), List.of(), null, AuthKind.SESSION, true, name));
  };

  private static final Guards GUARDS;

  static {
    Origins origins = new Origins(URI.create("https://gw.example"));
    CsrfCheck csrf = new CsrfCheck(origins, new Cors(CorsConfig.NONE, origins), principal -> "csrf-" + principal.subject());
    AuditLog audit = DiscardedAudit.log();
    GUARDS = new Guards(Map.of(AuthKind.SESSION, SESSIONS), null, Map.of(), "https://gw.example", csrf, audit,
        Clock.systemUTC());
  }

  static Stream<Arguments> login() {
    return Stream.of(
        Arguments.of("cookie and field equal", "POST", FORM + "\r\nCookie: gh_csrf=t1", "csrf_token=t1&u=a", 200),
        Arguments.of("no field", "POST", FORM + "\r\nCookie: gh_csrf=t1", "u=a", 403),
        Arguments.of("no cookie", "POST", FORM, "csrf_token=t1", 403),
        Arguments.of("another token", "POST", FORM + "\r\nCookie: gh_csrf=t1", "csrf_token=t2", 403),
        Arguments.of("the HTTPS cookie's name over HTTP", "POST", FORM + "\r\nCookie: __Host-gh_csrf=t1",
            "csrf_token=t1", 403),
        Arguments.of("from another site", "POST", FORM + "\r\nCookie: gh_csrf=t1\r\nOrigin: https://evil.example",
            "csrf_token=t1", 403),
        Arguments.of("from this gateway", "POST", FORM + "\r\nCookie: gh_csrf=t1\r\nOrigin: https://gw.example",
            "csrf_token=t1", 200),
        Arguments.of("Origin: null (Referrer-Policy: no-referrer)", "POST", FORM + "\r\nCookie: gh_csrf=t1\r\nOrigin: null",
            "csrf_token=t1", 200),
        Arguments.of("a JSON body is not a form", "POST", "Content-Type: application/json", "{\"u\":\"a\"}", 200),
        Arguments.of("a safe method", "GET", "", "", 200),
        // Sent as ISO-8859-1: the bytes C3 28, which are not UTF-8.
        Arguments.of("a form that is not UTF-8", "POST", FORM + "\r\nCookie: gh_csrf=t1", "csrf_token=t1&u=\u00c3(",
            400));
  }

  @ParameterizedTest(name = "login: {0}")
  @MethodSource("login")
  void loginForm(String name, String method, String headers, String body, int status) {
    RouteGuard guard = GUARDS.guard("auth:login", List.of(AuthMethod.of(AuthKind.NONE)), null,
        policy(new FormCsrf.DoubleSubmit("csrf_token", "gh_csrf", "__Host-gh_csrf")));
    assertThat(EmbeddedExchanges.status(send(guard, method, headers, body))).isEqualTo(status);
  }

  static Stream<Arguments> consent() {
    String alice = FORM + "\r\nCookie: gh_session=alice\r\nOrigin: https://gw.example";
    return Stream.of(
        Arguments.of("the session's token", alice, "csrf_token=csrf-alice&decision=allow", 200),
        Arguments.of("another session's token", alice, "csrf_token=csrf-bob&decision=allow", 403),
        Arguments.of("no token", alice, "decision=allow", 403),
        Arguments.of("no session", FORM, "csrf_token=csrf-alice", 401));
  }

  @ParameterizedTest(name = "consent: {0}")
  @MethodSource("consent")
  void consentForm(String name, String headers, String body, int status) {
    RouteGuard guard = GUARDS.guard("oauth:consent", List.of(AuthMethod.of(AuthKind.SESSION)),
        new MtlsConfig(List.of(), List.of()), policy(new FormCsrf.SessionToken("csrf_token")));
    assertThat(EmbeddedExchanges.status(send(guard, "POST", headers, body))).isEqualTo(status);
  }

  private static RouteGuard.Policy policy(FormCsrf form) {
    return new RouteGuard.Policy(RouteGuard.Access.ANY, null, null, false, false, form);
  }

  private static String send(RouteGuard guard, String method, String headers, String body) {
    int length = body.getBytes(StandardCharsets.ISO_8859_1).length; // as EmbeddedExchanges sends it
    String request = method + " /x HTTP/1.1\r\nHost: gw.example\r\n" + (headers.isEmpty() ? "" : headers + "\r\n")
        + (length > 0 ? "Content-Length: " + length + "\r\n" : "") + "\r\n" + body;
    return EmbeddedExchanges.exchange(EmbeddedExchanges.guardedReadingBody(guard), request);
  }
}
