package io.gatehouse.http;

/**
 * How a built-in endpoint's HTML form proves it was posted from this gateway's own page, checked
 * by the guard before the endpoint runs (which reads the body first for it). A request whose body
 * is not a form is not checked here: a JSON body cannot be sent across sites without a CORS
 * preflight.
 */
public sealed interface FormCsrf {

  /** The form field that carries the token. */
  String field();

  /**
   * Login CSRF: the form field equals a cookie the form's page set (double submit), and an
   * {@code Origin}, when the browser sends one other than {@code null}, names this gateway. For a
   * form posted without a session, so that a foreign page cannot sign the victim in to the
   * attacker's account.
   *
   * @param cookie the cookie's name over plain HTTP
   * @param secureCookie its name over HTTPS (a {@code __Host-} name)
   */
  record DoubleSubmit(String field, String cookie, String secureCookie) implements FormCsrf {
  }

  /** The form field carries the caller's session CSRF token, whatever carried the session. */
  record SessionToken(String field) implements FormCsrf {
  }
}
