package io.gatehouse.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request as a built-in endpoint sees it: method, normalised path, query, headers, cookies,
 * the whole body (up to the endpoint's limit), the client's address, TLS facts and the principal
 * the guard admitted. Read-only; valid for the duration of the endpoint's handling.
 */
public final class Request {

  /** The media type of an HTML form's body. */
  public static final String FORM = "application/x-www-form-urlencoded";
  private static final byte[] NO_BODY = new byte[0];

  private final Exchange exchange;
  private final byte[] body;
  private Map<String, List<String>> query;

  /** @param body the gathered body, or null for none */
  Request(Exchange exchange, byte[] body) {
    this.exchange = exchange;
    this.body = body == null ? NO_BODY : body;
  }

  public HttpMethod method() {
    return exchange.method();
  }

  /** The normalised path, without the query. */
  public String path() {
    return exchange.path();
  }

  /** The first value of query parameter {@code name} (percent-decoded as UTF-8), or null. */
  public String queryParam(String name) {
    if (query == null) {
      String raw = exchange.rawQuery();
      query = raw == null ? Map.of() : new QueryStringDecoder(raw, StandardCharsets.UTF_8, false, 64).parameters();
    }
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The raw query string (without {@code ?}), or null. */
  public String rawQuery() {
    return exchange.rawQuery();
  }

  public String header(CharSequence name) {
    return exchange.header(name);
  }

  public String cookie(String name) {
    return exchange.cookie(name);
  }

  /** The body bytes; empty when there was none. */
  public byte[] body() {
    return body.clone();
  }

  byte[] bodyBytes() {
    return body;
  }

  /** The media type, lower case, without parameters; empty when absent. */
  public String mediaType() {
    return mediaType(exchange);
  }

  /** The media type of {@code exchange}'s request, lower case, without parameters; empty when absent. */
  public static String mediaType(Exchange exchange) {
    String type = exchange.header(HttpHeaderNames.CONTENT_TYPE);
    if (type == null) {
      return "";
    }
    int semicolon = type.indexOf(';');
    return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }

  public boolean isJson() {
    return mediaType().equals("application/json");
  }

  public boolean isForm() {
    return mediaType().equals(FORM);
  }

  public String clientAddress() {
    return exchange.clientAddress();
  }

  public String requestId() {
    return exchange.requestId();
  }

  public boolean https() {
    return exchange.https();
  }

  /** The validated Host, or null. */
  public String host() {
    return exchange.host();
  }

  /** The verified client certificate chain, or empty. */
  public List<Certificate> peerCertificates() {
    return exchange.connection().peerCertificates();
  }

  /** Who the guard admitted; null on an open endpoint. */
  public Principal principal() {
    return exchange.principal();
  }

  /** Whether the request's {@code Origin} header names this gateway. */
  public boolean isSameOrigin(Origins origins) {
    return origins.isSameOrigin(exchange, exchange.header(HttpHeaderNames.ORIGIN));
  }
}
