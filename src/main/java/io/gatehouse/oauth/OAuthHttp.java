package io.gatehouse.oauth;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The OAuth endpoints' HTTP edge: a Gatehouse request as a Nimbus {@link HTTPRequest} for the SDK
 * to parse, and the SDK's {@link HTTPResponse} back as a response, always {@code no-store}.
 * Errors are RFC 6749 §5.2 JSON; descriptions are ours and never echo input.
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
   * Parses {@code request} with the SDK and hands the message to {@code next}; a repeated
   * parameter or a message the SDK refuses is answered with the RFC 6749 error instead.
   */
  static <T> Future<Response> parse(Request request, URL url, Parser<T> parser, Function<T, Future<Response>> next) {
    HTTPRequest http = request(request, url);
    Optional<Response> repeated = repeatedParameter(http);
    if (repeated.isPresent()) {
      return Future.succeededFuture(repeated.get());
    }
    T parsed;
    try {
      parsed = parser.parse(http);
    } catch (ParseException e) {
      return Future.succeededFuture(malformed(e));
    }
    return next.apply(parsed);
  }

  private static HTTPRequest request(Request request, URL url) {
    HTTPRequest http = new HTTPRequest(HTTPRequest.Method.POST, url);
    String contentType = request.header(HttpHeaderNames.CONTENT_TYPE);
    if (contentType != null) {
      http.setHeader("Content-Type", contentType);
    }
    String authorization = request.header(HttpHeaderNames.AUTHORIZATION);
    if (authorization != null) {
      http.setAuthorization(authorization);
    }
    http.setBody(new String(request.body(), StandardCharsets.UTF_8));
    return http;
  }

  /** RFC 6749 §3.2: no parameter more than once (RFC 8707 lets {@code resource} repeat). */
  private static Optional<Response> repeatedParameter(HTTPRequest http) {
    for (Map.Entry<String, List<String>> parameter : URLUtils.parseParameters(http.getBody()).entrySet()) {
      if (parameter.getValue().size() > 1 && !parameter.getKey().equals("resource")) {
        return Optional.of(error(OAuth2Error.INVALID_REQUEST.setDescription("A parameter is repeated.")));
      }
    }
    return Optional.empty();
  }

  /** A parse failure of the SDK, with a description of ours. */
  private static Response malformed(ParseException e) {
    ErrorObject error = e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST;
    return error(error.setDescription(OAuth2Error.UNSUPPORTED_GRANT_TYPE.getCode().equals(error.getCode())
        ? "The grant type is not supported." : "The request is malformed."));
  }

  /** RFC 6749 §5.2: 401 and a challenge naming the scheme the client tried (Basic by default). */
  static Response invalidClient(ClientAuthentication tried) {
    Response.Builder response = builder(new TokenErrorResponse(OAuth2Error.INVALID_CLIENT).toHTTPResponse());
    if (tried == null || tried instanceof ClientSecretBasic) {
      response.header(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"gatehouse\"");
    }
    return response.build();
  }

  static Response error(ErrorObject error) {
    return response(new TokenErrorResponse(error).toHTTPResponse());
  }

  static Response response(HTTPResponse http) {
    return builder(http).build();
  }

  private static Response.Builder builder(HTTPResponse http) {
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
    return response.body(body.getBytes(StandardCharsets.UTF_8), "application/json;charset=UTF-8");
  }
}
