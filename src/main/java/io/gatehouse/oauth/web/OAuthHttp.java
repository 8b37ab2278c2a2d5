package io.gatehouse.oauth.web;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.gatehouse.oauth.OAuthError;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OAuth endpoints' HTTP edge: a Gatehouse request as a Nimbus {@link HTTPRequest} for the SDK
 * to parse, and the SDK's {@link HTTPResponse} back as a response, always {@code no-store}. A
 * message the SDK refuses is an {@link OAuthError} with a description of ours that never echoes
 * input ({@link OAuthErrors} answers it).
 */
final class OAuthHttp {

  private OAuthHttp() {
  }

  static URL endpoint(URI issuer, String path) {
    try {
      return URI.create(issuer + path).toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("issuer is not a URL", e);
    }
  }

  /** An SDK parser of one request type, such as {@code TokenRequest::parse}. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(HTTPRequest request) throws ParseException;
  }

  /**
   * Parses {@code request} with the SDK.
   *
   * @throws OAuthError for a repeated parameter or a message the SDK refuses
   */
  static <T> T parse(Request request, URL url, Parser<T> parser) {
    HTTPRequest http = request(url, request.header(HttpHeaderNames.CONTENT_TYPE),
        request.header(HttpHeaderNames.AUTHORIZATION), request.body());
    refuseRepeated(URLUtils.parseParameters(http.getBody()));
    try {
      return parser.parse(http);
    } catch (ParseException e) {
      throw malformed(e);
    } catch (IllegalArgumentException e) {
      // The SDK quotes a bad value (a resource URI) in its error description and then refuses its
      // own description when the value has characters RFC 6749 §5.2 forbids there: still malformed.
      throw new OAuthError(OAuth2Error.INVALID_REQUEST.setDescription("The request is malformed."));
    }
  }

  /** A POST to {@code url} as the SDK reads it. */
  static HTTPRequest request(URL url, String contentType, String authorization, byte[] body) {
    HTTPRequest http = new HTTPRequest(HTTPRequest.Method.POST, url);
    if (contentType != null) {
      http.setHeader("Content-Type", contentType);
    }
    if (authorization != null) {
      http.setAuthorization(authorization);
    }
    http.setBody(body == null ? "" : new String(body, StandardCharsets.UTF_8));
    return http;
  }

  /** The first value of a form parameter of {@code request}'s body, or null. */
  static String formParameter(Request request, String name) {
    List<String> values = URLUtils.parseParameters(new String(request.body(), StandardCharsets.UTF_8)).get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * RFC 6749 §3.2: no parameter more than once (RFC 8707 lets {@code resource} repeat).
   *
   * @throws OAuthError {@code invalid_request}
   */
  static void refuseRepeated(Map<String, List<String>> parameters) {
    for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
      if (parameter.getValue().size() > 1 && !parameter.getKey().equals("resource")) {
        throw new OAuthError(OAuth2Error.INVALID_REQUEST.setDescription("A parameter is repeated."));
      }
    }
  }

  /** A parse failure of the SDK, with a description of ours. */
  static OAuthError malformed(ParseException e) {
    ErrorObject error = e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST;
    return new OAuthError(error.setDescription(OAuth2Error.UNSUPPORTED_GRANT_TYPE.getCode().equals(error.getCode())
        ? "The grant type is not supported." : "The request is malformed."));
  }

  /** The SDK's answer (a success, or an error {@link OAuthErrors} built) as a response, never cached. */
  static Response response(HTTPResponse http) {
    Response.Builder response = Response.status(http.getStatusCode());
    for (Map.Entry<String, List<String>> header : http.getHeaderMap().entrySet()) {
      if (!header.getKey().equalsIgnoreCase("Content-Type") && !header.getKey().equalsIgnoreCase("Cache-Control")) {
        for (String value : header.getValue()) {
          response.header(header.getKey(), value);
        }
      }
    }
    response.header(HttpHeaderNames.CACHE_CONTROL, "no-store");
    String body = Optional.ofNullable(http.getBody()).orElse("");
    return response.body(body.getBytes(StandardCharsets.UTF_8), "application/json;charset=UTF-8").build();
  }
}
