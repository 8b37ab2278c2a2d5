package io.gatehouse.guard;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who the guard admitted, as upstreams see it in {@code X-Gatehouse-Subject}, {@code -Roles},
 * {@code -Scopes} and {@code -Client}. Client-sent copies of those headers never reach an upstream,
 * and neither does the Gatehouse credential that admitted the request ({@code carrier}: a header
 * name or {@code cookie:<name>}, null for a client certificate): an upstream must not be able to
 * replay its caller's session or key.
 */
public record Identity(String subject, List<String> roles, List<String> scopes, String client, String carrier) {

  private static final String KEY = "gatehouse.identity";

  void attach(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  /**
   * Writes the identity headers into an upstream request's {@code headers}, from which client-sent
   * identity headers were already removed, and removes the credential that admitted the request.
   */
  public static void writeTo(RoutingContext ctx, MultiMap headers) {
    Identity identity = ctx.get(KEY);
    if (identity == null) {
      return;
    }
    identity.removeCredential(headers);
    identity.headers().forEach(headers::set);
  }

  private void removeCredential(MultiMap headers) {
    if (carrier == null) {
      return;
    }
    if (!carrier.startsWith("cookie:")) {
      headers.remove(carrier);
      return;
    }
    String name = carrier.substring("cookie:".length());
    List<String> kept = new ArrayList<>();
    for (String header : headers.getAll(HttpHeaders.COOKIE)) {
      for (String pair : header.split(";")) {
        String trimmed = pair.strip();
        if (!trimmed.isEmpty() && !trimmed.startsWith(name + "=")) {
          kept.add(trimmed);
        }
      }
    }
    headers.remove(HttpHeaders.COOKIE);
    if (!kept.isEmpty()) {
      headers.set(HttpHeaders.COOKIE, String.join("; ", kept));
    }
  }

  private Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Gatehouse-Subject", subject);
    if (!roles.isEmpty()) {
      headers.put("X-Gatehouse-Roles", String.join(" ", roles));
    }
    if (!scopes.isEmpty()) {
      headers.put("X-Gatehouse-Scopes", String.join(" ", scopes));
    }
    if (client != null) {
      headers.put("X-Gatehouse-Client", client);
    }
    return headers;
  }
}
