package io.gatehouse.http;

import io.gatehouse.config.LimitsConfig;
import io.gatehouse.config.Methods;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.Future;
import java.util.Iterator;
import java.util.Map;

/**
 * Pipeline stage: what a request must be before anything reads it. Netty's decoder has already
 * refused what it cannot parse (and, in 4.2, {@code Transfer-Encoding} on HTTP/1.0, a
 * {@code Content-Length} beside it, differing lengths and chunk sizes that overflow); this stage
 * refuses what it lets through but an upstream might read differently (RFC 9112 §6.1, §3.2):
 *
 * <ul>
 *   <li>a {@code Host} missing (HTTP/1.1), repeated or malformed: 400;</li>
 *   <li>any {@code Transfer-Encoding} but exactly one {@code chunked}, and header names that only
 *       resemble a framing header ({@code Transfer_Encoding}, {@code content.length}), which
 *       frameworks that fold {@code _} and {@code .} into {@code -} would obey: 400 and close;</li>
 *   <li>a WebSocket upgrade request with a body: 400; an {@code Expect} other than {@code 100-continue}: 417;</li>
 *   <li>TRACE, TRACK and CONNECT: 405; methods that are not served, in any case but upper: 501;
 *       versions other than HTTP/1.x: 505;</li>
 *   <li>a declared body over {@code max_body_bytes}: 413 before a byte of it is read, and a body
 *       that has not arrived {@code request_timeout} after the head: 408.</li>
 * </ul>
 *
 * Bodies without a declared length are counted as they arrive (413 past the limit) by the exchange.
 */
public final class RequestLimits implements Stage {

  private static final String ALLOWED = String.join(", ", new java.util.TreeSet<>(Methods.SERVED));

  private final LimitsConfig limits;

  public RequestLimits(LimitsConfig limits) {
    this.limits = limits;
  }

  @Override
  public Future<Boolean> apply(Exchange exchange) {
    HttpVersion version = exchange.version();
    if (version.majorVersion() != 1 || version.minorVersion() > 1) {
      return Stage.reject(Problem.VERSION_NOT_SUPPORTED);
    }
    HttpMethod method = exchange.method();
    if (!Methods.isServed(method)) {
      if (Methods.isRefused(method)) {
        exchange.respond(Problem.METHOD_REFUSED, HttpHeaderNames.ALLOW, ALLOWED);
        return ANSWERED;
      }
      return Stage.reject(Problem.NOT_IMPLEMENTED);
    }
    HttpHeaders headers = exchange.headers();
    int hosts = 0;
    int transferEncodings = 0;
    String host = null;
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> header = it.next();
      CharSequence name = header.getKey();
      switch (FramingNames.classify(name)) {
        case HOST -> {
          hosts++;
          host = header.getValue().toString();
        }
        case TRANSFER_ENCODING -> {
          transferEncodings++;
          if (!"chunked".contentEquals(header.getValue())) {
            return Stage.reject(Problem.BAD_FRAMING);
          }
        }
        case LOOK_ALIKE -> {
          return Stage.reject(Problem.BAD_FRAMING);
        }
        default -> { }
      }
    }
    if (hosts > 1 || (hosts == 0 && version == HttpVersion.HTTP_1_1 && !exchange.connection().http2())
        || (host != null && !HostHeader.isValid(host))) {
      return Stage.reject(Problem.BAD_HOST);
    }
    exchange.host(host);
    if (transferEncodings > 1 || (transferEncodings == 1 && headers.contains(HttpHeaderNames.CONTENT_LENGTH))) {
      return Stage.reject(Problem.BAD_FRAMING);
    }
    long declared = HttpUtil.getContentLength(exchange.head(), -1L);
    boolean hasBody = transferEncodings == 1 || declared > 0;
    // A WebSocket handshake with a body: the bytes after the head would be read as frames by
    // one side and as a body by the other. (Other Upgrade offers, such as h2c, are simply declined.)
    if (hasBody && headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
      return Stage.reject(Problem.UPGRADE_WITH_BODY);
    }
    String expect = exchange.header(HttpHeaderNames.EXPECT);
    if (expect != null) {
      if (!expect.equalsIgnoreCase("100-continue") || version != HttpVersion.HTTP_1_1) {
        return Stage.reject(Problem.EXPECTATION_FAILED);
      }
      if (hasBody) {
        exchange.expectContinue();
      }
    }
    if (declared > limits.maxBodyBytes()) {
      return Stage.reject(Problem.PAYLOAD_TOO_LARGE);
    }
    if (hasBody || !exchange.requestComplete()) {
      exchange.expectBody(limits.requestTimeout().toMillis());
    }
    return CONTINUE;
  }
}
