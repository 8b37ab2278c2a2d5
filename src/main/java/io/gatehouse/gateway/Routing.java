package io.gatehouse.gateway;

import io.gatehouse.config.path.PathNormalizer;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.HostHeader;
import io.gatehouse.http.Problem;
import io.gatehouse.http.Route;
import io.gatehouse.http.RouteMatch;
import io.gatehouse.http.Stage;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Pipeline stage that normalises the path (400 when it must be refused), enforces
 * {@code server.hosts} (421 for another host), and picks the route (404 when none takes the
 * request; 405 with {@code Allow} when a built-in endpoint does not take the method).
 */
public final class Routing implements Stage {

  private final RouteTable<Route> table;
  private final List<String> hosts;
  private final boolean needsHost;

  /** @param hosts the host allow-list; empty answers every host */
  public Routing(RouteTable<Route> table, List<String> hosts) {
    this.table = table;
    this.hosts = List.copyOf(hosts);
    this.needsHost = !hosts.isEmpty() || table.usesHosts();
  }

  @Override
  public Future<Boolean> apply(Exchange exchange) {
    String path = PathNormalizer.normalize(exchange.rawPath());
    if (path == null) {
      return Stage.reject(Problem.INVALID_PATH);
    }
    exchange.path(path);
    String host = needsHost && exchange.host() != null ? HostHeader.hostname(exchange.host()) : null;
    if (!hosts.isEmpty() && !RouteTable.hostMatches(hosts, host)) {
      return Stage.reject(Problem.MISDIRECTED);
    }
    HttpMethod method = exchange.method();
    RouteMatch<Route> match = table.match(method.name(), host, path);
    if (match == null) {
      return Stage.reject(Problem.NOT_FOUND);
    }
    exchange.match(match);
    Route route = match.route();
    if (route.methods() != null && !route.methods().contains(method)) {
      String allow = route.methods().stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
      exchange.respond(Problem.METHOD_NOT_ALLOWED, HttpHeaderNames.ALLOW, allow);
      return ANSWERED;
    }
    return CONTINUE;
  }
}
