package io.gatehouse.gateway;

import io.gatehouse.http.Exchange;
import io.gatehouse.http.RequestIds;
import io.gatehouse.http.TrustedProxies;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Header rules at the proxy boundary, both ways.
 *
 * <p>Upstream: headers named in {@code Connection} are removed (RFC 9110 §7.6.1; vertx-http-proxy
 * drops the fixed hop-by-hop set), as are client-sent {@code X-Gatehouse-*} identity headers, which
 * only the guard may set. {@code X-Forwarded-For/-Proto/-Host} and {@code Forwarded} (RFC 7239) are
 * replaced when the peer is not a trusted proxy and appended to when it is. The request id is sent
 * along, and a W3C {@code traceparent} is started when the caller sent none.
 *
 * <p>Downstream: the same hop-by-hop removal on the upstream's response.
 */
final class ProxyHeaders {

  static final String IDENTITY_PREFIX = "x-gatehouse-";
  private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
  private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "proxy-connection",
      "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

  private final TrustedProxies trustedProxies;

  ProxyHeaders(TrustedProxies trustedProxies) {
    this.trustedProxies = trustedProxies;
  }

  void toUpstream(MultiMap headers, HttpServerRequest request, Exchange exchange) {
    removeConnectionListed(headers);
    removeIdentity(headers);
    String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    boolean trusted = trustedProxies.isTrusted(peer);
    String proto = request.isSSL() ? "https" : "http";
    String host = request.authority() == null ? null : request.authority().toString();

    String xff = trusted ? headers.get("x-forwarded-for") : null;
    headers.set("X-Forwarded-For", xff == null ? peer : xff + ", " + peer);
    if (!trusted || !headers.contains("x-forwarded-proto")) {
      headers.set("X-Forwarded-Proto", proto);
    }
    if (host != null && (!trusted || !headers.contains("x-forwarded-host"))) {
      headers.set("X-Forwarded-Host", host);
    }
    String element = "for=" + forwardedNode(peer) + ";proto=" + proto + (host == null ? "" : ";host=\"" + host + "\"");
    String forwarded = trusted ? headers.get("forwarded") : null;
    headers.set("Forwarded", forwarded == null ? element : forwarded + ", " + element);

    headers.set("X-Request-Id", exchange.requestId());
    String traceparent = headers.get("traceparent");
    if (traceparent == null || traceparent.length() != 55 || !TRACEPARENT.matcher(traceparent).matches() || traceparent.startsWith("ff")) {
      String traceId = RequestIds.isTraceId(exchange.requestId()) ? exchange.requestId() : RequestIds.generate();
      headers.set("traceparent", "00-" + traceId + "-" + RequestIds.generate().substring(16) + "-00");
    }
  }

  void fromUpstream(MultiMap headers) {
    removeConnectionListed(headers);
    for (String name : HOP_BY_HOP) {
      headers.remove(name);
    }
    // vertx-http-proxy parses a Date it is given and formats it again, the costliest step of a
    // small proxied response; without one it stamps the current time, which RFC 9110 §6.6.1
    // allows a recipient to send.
    headers.remove("date");
  }

  private static void removeIdentity(MultiMap headers) {
    List<String> names = null;
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().regionMatches(true, 0, IDENTITY_PREFIX, 0, IDENTITY_PREFIX.length())) {
        if (names == null) {
          names = new ArrayList<>(2);
        }
        names.add(header.getKey());
      }
    }
    if (names != null) {
      names.forEach(headers::remove);
    }
  }

  private static void removeConnectionListed(MultiMap headers) {
    if (!headers.contains("connection")) {
      return;
    }
    for (String value : headers.getAll("connection")) {
      for (String token : value.split(",")) {
        String name = token.trim();
        if (!name.isEmpty()) {
          headers.remove(name);
        }
      }
    }
  }

  /** RFC 7239 §6: IPv6 addresses are bracketed and the whole value quoted. */
  private static String forwardedNode(String address) {
    return address.indexOf(':') >= 0 ? "\"[" + address + "]\"" : address;
  }
}
