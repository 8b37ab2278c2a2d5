package io.gatehouse.guard;

import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who the guard admitted, as upstreams see it in {@code X-Gatehouse-Subject}, {@code -Roles},
 * {@code -Scopes} and {@code -Client}. Client-sent copies of those headers never reach an upstream.
 */
public record Identity(String subject, List<String> roles, List<String> scopes, String client) {

  private static final String KEY = "gatehouse.identity";

  void attach(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  /** The identity headers for the request's upstream; empty on an open route. */
  public static Map<String, String> headers(RoutingContext ctx) {
    Identity identity = ctx.get(KEY);
    if (identity == null) {
      return Map.of();
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Gatehouse-Subject", identity.subject());
    if (!identity.roles().isEmpty()) {
      headers.put("X-Gatehouse-Roles", String.join(" ", identity.roles()));
    }
    if (!identity.scopes().isEmpty()) {
      headers.put("X-Gatehouse-Scopes", String.join(" ", identity.scopes()));
    }
    if (identity.client() != null) {
      headers.put("X-Gatehouse-Client", identity.client());
    }
    return headers;
  }
}
