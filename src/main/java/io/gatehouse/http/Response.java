package io.gatehouse.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a built-in endpoint answers: a status, headers and a whole body. Immutable once built;
 * the pipeline adds the headers every response carries (request id, security headers, CORS).
 */
public final class Response {

  private final int status;
  private final List<String> headers; // name, value, name, value, ...
  private final byte[] body;

  private Response(int status, List<String> headers, byte[] body) {
    this.status = status;
    this.headers = List.copyOf(headers);
    this.body = body;
  }

  public static Builder status(int status) {
    return new Builder(status);
  }

  /** A JSON answer; never cached, since built-in answers carry account data or tokens. */
  public static Response json(int status, Object value) {
    return status(status).json(value).build();
  }

  /** 204 without a body; never cached. */
  public static Response noContent() {
    return status(204).header(HttpHeaderNames.CACHE_CONTROL, "no-store").build();
  }

  /** A redirect to {@code location} (a path on this origin, or a client's registered URI), never cached. */
  public static Response redirect(int status, String location) {
    return status(status).header(HttpHeaderNames.LOCATION, location).header(HttpHeaderNames.CACHE_CONTROL, "no-store").build();
  }

  public int status() {
    return status;
  }

  /** This response with one more header. */
  public Response with(CharSequence name, String value) {
    List<String> more = new java.util.ArrayList<>(headers);
    more.add(name.toString());
    more.add(value);
    return new Response(status, more, body);
  }

  /** Header names and values, alternating. */
  List<String> headers() {
    return headers;
  }

  /** The value of the first header called {@code name} (case-insensitive), or null. */
  public String header(CharSequence name) {
    for (int i = 0; i < headers.size(); i += 2) {
      if (headers.get(i).contentEquals(name) || headers.get(i).equalsIgnoreCase(name.toString())) {
        return headers.get(i + 1);
      }
    }
    return null;
  }

  public byte[] body() {
    return body.clone();
  }

  byte[] bodyBytes() {
    return body;
  }

  /** Builds one response; not thread-safe, and not to be reused after {@link #build}. */
  public static final class Builder {

    private static final byte[] EMPTY = new byte[0];

    private final int status;
    private final List<String> headers = new ArrayList<>(8);
    private byte[] body = EMPTY;

    private Builder(int status) {
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("status " + status);
      }
      this.status = status;
    }

    public Builder header(CharSequence name, String value) {
      headers.add(name.toString());
      headers.add(value);
      return this;
    }

    /** A {@code Set-Cookie} header, encoded by Netty's RFC 6265 encoder. */
    public Builder cookie(Cookie cookie) {
      return header(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(cookie));
    }

    /** A JSON body (a JsonNode, Map or List) with {@code Cache-Control: no-store}. */
    public Builder json(Object value) {
      header(HttpHeaderNames.CACHE_CONTROL, "no-store");
      return body(Json.bytes(value), "application/json");
    }

    public Builder body(byte[] bytes, String contentType) {
      header(HttpHeaderNames.CONTENT_TYPE, contentType);
      this.body = bytes;
      return this;
    }

    /** A body whose headers (content type included) are set separately. */
    public Builder body(byte[] bytes) {
      this.body = bytes;
      return this;
    }

    public Builder html(String html) {
      return body(html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
    }

    public Response build() {
      return new Response(status, headers, body);
    }
  }
}
