package io.gatehouse.oauth;

import com.nimbusds.jwt.SignedJWT;
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
    Map<String, List<String>> parameters = URLUtils.parseParameters(http.getBody());
    Optional<Response> refused = repeatedParameter(parameters).or(() -> clientAuthentication(http, parameters));
    if (refused.isPresent()) {
      return Future.succeededFuture(refused.get());
    }
    T parsed;
    try {
      parsed = parser.parse(http);
    } catch (ParseException e) {
      return Future.succeededFuture(malformed(e));
    } catch (IllegalArgumentException e) {
      // The SDK quotes a bad value (a resource URI) in its error description and then refuses its
      // own description when the value has characters RFC 6749 §5.2 forbids there: still malformed.
      return Future.succeededFuture(error(OAuth2Error.INVALID_REQUEST.setDescription("The request is malformed.")));
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

  /** The first value of a form parameter of {@code request}'s body, or null. */
  static String formParameter(Request request, String name) {
    List<String> values = URLUtils.parseParameters(new String(request.body(), StandardCharsets.UTF_8)).get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request"
   * ({@code invalid_request}); and a client assertion (RFC 7523) that is not a signed JWT, such as
   * one with {@code alg: none}, fails client authentication ({@code invalid_client}) rather than
   * passing for a malformed message.
   */
  private static Optional<Response> clientAuthentication(HTTPRequest http, Map<String, List<String>> parameters) {
    String authorization = http.getAuthorization();
    int methods = (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6) ? 1 : 0)
        + (parameters.containsKey("client_secret") ? 1 : 0) + (parameters.containsKey("client_assertion") ? 1 : 0);
    if (methods > 1) {
      return Optional.of(error(OAuth2Error.INVALID_REQUEST.setDescription(
          "More than one client authentication method was used.")));
    }
    List<String> assertion = parameters.get("client_assertion");
    if (assertion != null) {
      try {
        SignedJWT.parse(assertion.get(0));
      } catch (java.text.ParseException e) {
        return Optional.of(response(new TokenErrorResponse(OAuth2Error.INVALID_CLIENT).toHTTPResponse()));
      }
    }
    return Optional.empty();
  }

  /** RFC 6749 §3.2: no parameter more than once (RFC 8707 lets {@code resource} repeat). */
  private static Optional<Response> repeatedParameter(Map<String, List<String>> parameters) {
    for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
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
