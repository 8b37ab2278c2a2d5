package io.gatehouse.guard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.AuthKind;
import io.gatehouse.config.AuthMethod;
import io.gatehouse.config.IssuerConfig;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Json;
import io.gatehouse.http.Response;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 9728 OAuth 2.0 Protected Resource Metadata, so OAuth-aware clients and agents discover
 * where to get a token for the routes behind this gateway: the gateway's own document at
 * {@code /.well-known/oauth-protected-resource} (resource: the public base URL, every token route's
 * issuers and scopes), and one per token route with a literal path prefix at
 * {@code /.well-known/oauth-protected-resource/<prefix>} (resource: base URL + prefix, that
 * route's issuers and scopes). A token route's 401 challenges name its document in
 * {@code resource_metadata} (RFC 9728 §5.1). Immutable.
 */
public final class ProtectedResources {

  static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

  private record Document(String path, String resource, Set<String> servers, Set<String> scopes) {
  }

  private final String base;
  private final Document gateway;
  private final Map<String, Document> byRoute = new LinkedHashMap<>();

  /**
   * @param base the public base URL ({@code issuer})
   * @param ownIssuer the {@code iss} of Gatehouse's own tokens
   */
  public ProtectedResources(URI base, String ownIssuer, List<IssuerConfig> issuers, List<RouteConfig> routes) {
    String text = base.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    Map<String, String> issuerIds = new LinkedHashMap<>();
    issuers.forEach(issuer -> issuerIds.put(issuer.name(), issuer.issuer()));
    Set<String> allServers = new LinkedHashSet<>();
    Set<String> allScopes = new LinkedHashSet<>();
    Set<String> prefixes = new LinkedHashSet<>();
    for (RouteConfig route : routes) {
      Set<String> servers = new LinkedHashSet<>();
      for (AuthMethod method : route.auth()) {
        if (method.kind() == AuthKind.JWT) {
          String id = method.ownIssuer() ? ownIssuer : issuerIds.get(method.issuer());
          if (id != null && id.startsWith("https://")) { // RFC 9728 §2: issuer identifiers are https URLs
            servers.add(id);
          }
        }
      }
      if (route.auth().stream().noneMatch(m -> m.kind() == AuthKind.JWT)) {
        continue;
      }
      allServers.addAll(servers);
      allScopes.addAll(route.scopes());
      String prefix = route.path() == null ? "" : route.path().literalPrefix();
      if (!prefix.isEmpty() && prefixes.add(prefix)) {
        byRoute.put(route.id(), new Document(WELL_KNOWN + prefix, this.base + prefix, servers,
            new LinkedHashSet<>(route.scopes())));
      }
    }
    this.gateway = new Document(WELL_KNOWN, this.base, allServers, allScopes);
  }

  /** The {@code resource_metadata} URL for a route's challenges, or null for a route that takes no token. */
  public String metadataUrl(RouteConfig route) {
    if (route.auth().stream().noneMatch(m -> m.kind() == AuthKind.JWT)) {
      return null;
    }
    Document own = byRoute.get(route.id());
    return base + (own != null ? own.path() : gateway.path());
  }

  /** The metadata documents, open to anyone. */
  public List<Endpoint> endpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    endpoints.add(endpoint("oauth:resource", gateway));
    byRoute.forEach((routeId, document) -> endpoints.add(endpoint("oauth:resource:" + routeId, document)));
    return endpoints;
  }

  private static Endpoint endpoint(String id, Document document) {
    ObjectNode json = Json.object().put("resource", document.resource());
    ArrayNode servers = json.putArray("authorization_servers");
    document.servers().forEach(servers::add);
    ArrayNode scopes = json.putArray("scopes_supported");
    document.scopes().forEach(scopes::add);
    json.putArray("bearer_methods_supported").add("header");
    byte[] body = Json.bytes(json);
    Future<Response> answer = Future.succeededFuture(Response.status(200)
        .header(HttpHeaderNames.CACHE_CONTROL, "max-age=300")
        .body(body, "application/json").build());
    return Endpoint.at(id, document.path()).auth(AuthKind.NONE).on(HttpMethod.GET, request -> answer).build();
  }
}
