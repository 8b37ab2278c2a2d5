package io.gatehouse.http;

import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem: the one error model of the gateway. Constants name the errors the gateway
 * produces; {@link #withDetail} adapts one to a case. Details are written for the caller and never
 * carry internals (exception text, stack traces, which of user or password was wrong).
 */
public record Problem(int status, String slug, String title, String detail, Map<String, Object> extensions,
    String challenge) {

  /** RFC 6750 §3: the realm every challenge names. */
  public static final String BEARER_REALM = "Bearer realm=\"gatehouse\"";

  /**
   * @param challenge the {@code WWW-Authenticate} value, or null for none ({@link #BEARER_REALM} on
   *     any 401 that names no other)
   */
  public Problem {
    extensions = Map.copyOf(extensions);
  }

  public Problem(int status, String slug, String title, String detail, Map<String, Object> extensions) {
    this(status, slug, title, detail, extensions, null);
  }

  public Problem(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, Map.of());
  }

  /** 401 for a token that was presented and failed (RFC 6750 §3.1 {@code invalid_token}). */
  public static final Problem INVALID_TOKEN = new Problem(401, "invalid-token", "Unauthorized",
      "The access token is not valid here.", Map.of(), BEARER_REALM + ", error=\"invalid_token\"");

  /** 403 for a caller whose credential lacks a scope the route needs (RFC 6750 §3.1 {@code insufficient_scope}). */
  public static Problem insufficientScope(List<String> scopes) {
    String needed = String.join(" ", scopes);
    return new Problem(403, "insufficient-scope", "Forbidden", "The credential lacks a scope this route needs.",
        Map.of("scope", needed), BEARER_REALM + ", error=\"insufficient_scope\", scope=\"" + needed + "\"");
  }

  /**
   * 401 for a caller whose sign-in was weaker than the route needs (RFC 9470 §3): the challenge
   * names {@code error="insufficient_user_authentication"} and the {@code acr_values} to sign in with.
   */
  public static Problem insufficientUserAuthentication(String acrValues) {
    return new Problem(401, "insufficient-user-authentication", "Unauthorized",
        "This route needs a stronger sign-in: sign in again with a second factor.", Map.of("acr_values", acrValues),
        BEARER_REALM + ", error=\"insufficient_user_authentication\", error_description=\"A stronger sign-in is "
            + "required\", acr_values=\"" + acrValues + "\"");
  }

  public static final String TYPE_PREFIX = "urn:gatehouse:problem:";

  public static final Problem BAD_REQUEST = new Problem(400, "bad-request", "Bad Request", "The request is malformed.");
  public static final Problem INVALID_PATH = new Problem(400, "invalid-path", "Bad Request",
      "The request path is not valid: it contains an encoded '.', '/', '\\' or ';', a control character, a ';', "
          + "invalid percent-encoding or UTF-8, a look-alike of '.' or '/', or '..' above the root.");
  public static final Problem UNAUTHORIZED = new Problem(401, "unauthorized", "Unauthorized", "A valid credential is required.");
  public static final Problem INVALID_CREDENTIALS = new Problem(401, "invalid-credentials", "Unauthorized",
      "The username or password is not correct, or the account cannot log in.");
  public static final Problem CSRF_REJECTED = new Problem(403, "csrf-rejected", "Forbidden",
      "A cookie-authenticated change needs a valid CSRF token or a same-origin Origin header.");
  public static final Problem METHOD_NOT_ALLOWED = new Problem(405, "method-not-allowed", "Method Not Allowed",
      "This endpoint does not take this method.");
  public static final Problem METHOD_REFUSED = new Problem(405, "method-not-allowed", "Method Not Allowed",
      "TRACE, TRACK and CONNECT are not served.");
  public static final Problem MISDIRECTED = new Problem(421, "misdirected-request", "Misdirected Request",
      "This gateway does not serve the requested host.");
  public static final Problem EXPECTATION_FAILED = new Problem(417, "expectation-failed", "Expectation Failed",
      "Only Expect: 100-continue is supported.");
  public static final Problem NOT_IMPLEMENTED = new Problem(501, "method-not-implemented", "Not Implemented",
      "The request method is not one this gateway serves (methods are case-sensitive).");
  public static final Problem VERSION_NOT_SUPPORTED = new Problem(505, "version-not-supported", "HTTP Version Not Supported",
      "Only HTTP/1.0, HTTP/1.1 and HTTP/2 are supported.");
  public static final Problem BAD_HOST = new Problem(400, "bad-request", "Bad Request",
      "The Host header is missing, repeated or malformed.");
  public static final Problem BAD_FRAMING = new Problem(400, "bad-request", "Bad Request",
      "The request's Content-Length or Transfer-Encoding is not acceptable.");
  public static final Problem UPGRADE_WITH_BODY = new Problem(400, "bad-request", "Bad Request",
      "An upgrade request must not carry a body.");
  public static final Problem USERNAME_TAKEN = new Problem(409, "username-taken", "Conflict", "This username is taken.");
  public static final Problem UNSUPPORTED_MEDIA_TYPE = new Problem(415, "unsupported-media-type", "Unsupported Media Type",
      "The request body must be JSON (Content-Type: application/json).");
  public static final Problem FORBIDDEN = new Problem(403, "forbidden", "Forbidden", "The credential does not allow this request.");
  public static final Problem CORS_REJECTED = new Problem(403, "cors-rejected", "Forbidden", "This origin is not allowed to make cross-origin requests.");
  public static final Problem NOT_FOUND = new Problem(404, "not-found", "Not Found", "No route matches this request.");
  /** An admin API path naming an id there is nothing of. */
  public static final Problem NO_SUCH_ITEM = NOT_FOUND.withDetail("There is nothing of that id.");
  public static final Problem REQUEST_TIMEOUT = new Problem(408, "request-timeout", "Request Timeout", "The request was not received in time.");
  public static final Problem PAYLOAD_TOO_LARGE = new Problem(413, "payload-too-large", "Content Too Large", "The request body is larger than allowed.");
  public static final Problem URI_TOO_LONG = new Problem(414, "uri-too-long", "URI Too Long", "The request line is longer than allowed.");
  public static final Problem HEADERS_TOO_LARGE = new Problem(431, "headers-too-large", "Request Header Fields Too Large", "The request headers are larger than allowed.");
  /** RFC 6585 §4; answered with {@code Retry-After}. */
  public static final Problem TOO_MANY_REQUESTS = new Problem(429, "too-many-requests", "Too Many Requests",
      "Too many requests; try again after the time in Retry-After.");
  public static final Problem INTERNAL = new Problem(500, "internal", "Internal Server Error", "The gateway failed to handle the request.");
  public static final Problem BAD_GATEWAY = new Problem(502, "bad-gateway", "Bad Gateway", "The upstream service could not be reached.");
  public static final Problem UNAVAILABLE = new Problem(503, "unavailable", "Service Unavailable", "The service is not ready.");
  /** Beyond a route's {@code max_in_flight}; answered with {@code Retry-After}. */
  public static final Problem UPSTREAM_BUSY = new Problem(503, "upstream-busy", "Service Unavailable",
      "The upstream service has as many requests under way as it takes; try again shortly.");
  /** Every target's circuit breaker open; answered with {@code Retry-After}. */
  public static final Problem UPSTREAM_UNAVAILABLE = new Problem(503, "upstream-unavailable", "Service Unavailable",
      "The upstream service is failing; requests to it are paused for a while.");
  public static final Problem GATEWAY_TIMEOUT = new Problem(504, "gateway-timeout", "Gateway Timeout", "The upstream service did not answer in time.");

  public Problem withDetail(String newDetail) {
    return new Problem(status, slug, title, newDetail, extensions, challenge);
  }

  /** A 400 naming the offending request field, with RFC 9457's {@code invalid-params} extension. */
  public static Problem invalidField(String field, String reason) {
    return new Problem(400, "invalid-field", "Bad Request", "The field '" + field + "' " + reason + ".",
        Map.of("invalid-params", List.of(Map.of("name", field, "reason", reason))));
  }

  public String type() {
    return TYPE_PREFIX + slug;
  }

  /** After these the connection is closed: the rest of the request cannot be trusted or is not worth reading. */
  public boolean closesConnection() {
    return status == 408 || status == 413 || status == 414 || status == 431 || status == 505
        || (status == 400 && slug.equals("bad-request"));
  }
}
