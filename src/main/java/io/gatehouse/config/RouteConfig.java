package io.gatehouse.config;

import io.gatehouse.gateway.PathPattern;
import io.gatehouse.gateway.PathRewrite;
import io.gatehouse.guard.AuthKind;
import io.gatehouse.http.Methods;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One entry of {@code routes}: which requests it takes (path pattern, methods, hosts) and what it
 * does with them (forward to {@code upstream} or answer with {@code respond}), guarded by {@code auth}.
 *
 * @param methods upper-case methods from {@link Methods#SERVED}; empty means any
 * @param hosts lower-case host names, {@code *.example.com} for any sub-domain; empty means any
 * @param rewrite the upstream path, or null to send the (prefix-stripped) normalised path
 * @param auth credential kinds tried in this order, any one of which admits a request;
 *     {@code [none]} opens the route, and an empty list (no {@code auth} key) admits nobody, so
 *     forgetting it fails closed
 * @param preserveHost send the client's Host upstream instead of the target's
 * @param forwardCredentials pass Gatehouse's own credentials (session cookie, bearer session
 *     token, API key) to the upstream; off by default, so an upstream can never replay them
 */
public record RouteConfig(String id, PathPattern path, Set<String> methods, List<String> hosts,
    UpstreamConfig upstream, RespondConfig respond, String stripPrefix, PathRewrite rewrite,
    Duration timeout, List<AuthKind> auth, MtlsConfig mtls, boolean preserveHost, boolean forwardCredentials) {

  private static final Set<String> KEYS = Set.of("id", "path", "methods", "hosts", "upstream", "respond",
      "strip_prefix", "rewrite", "timeout", "auth", "mtls", "preserve_host", "forward_credentials");

  /**
   * The route of a built-in endpoint (such as {@code /auth/login}), guarded by the kinds the
   * endpoint declares. Its id contains a ':', which config ids cannot, so the two never collide.
   */
  public static RouteConfig builtin(String id, String path, List<AuthKind> auth) {
    return new RouteConfig(id, PathPattern.compile(path), Set.of(), List.of(), null, null, null, null,
        Duration.ofSeconds(30), List.copyOf(auth), new MtlsConfig(List.of(), List.of()), false, false);
  }

  public boolean isBuiltin() {
    return id.indexOf(':') >= 0;
  }

  public boolean isOpen() {
    return auth.contains(AuthKind.NONE);
  }

  static RouteConfig read(Section s) {
    String id = s.string("id", null);
    if (id == null) {
      s.problems().add(s.node(), "id is required");
    } else if (!id.matches("[A-Za-z0-9_.-]{1,64}")) {
      s.problem("id", "'" + id + "' (expected: 1-64 of A-Z a-z 0-9 _ . -)");
    }
    PathPattern pattern = null;
    String path = s.string("path", null);
    if (path == null) {
      s.problems().add(s.node(), "path is required");
    } else {
      try {
        pattern = PathPattern.compile(path);
      } catch (IllegalArgumentException e) {
        s.problem("path", "'" + path + "' (" + e.getMessage() + ")");
      }
    }
    Set<String> methods = new LinkedHashSet<>(s.parsed("methods", m -> {
      if (!Methods.SERVED.contains(m)) {
        throw new IllegalArgumentException("one of " + String.join(", ", new TreeSet<>(Methods.SERVED))
            + " (methods are case-sensitive)");
      }
      return m;
    }));
    List<String> hosts = s.parsed("hosts", HostNames::parse);

    boolean hasUpstream = s.has("upstream");
    boolean hasRespond = s.has("respond");
    if (hasUpstream == hasRespond) {
      s.problems().add(s.node(), "exactly one of upstream or respond is required");
    }
    UpstreamConfig upstream = hasUpstream ? UpstreamConfig.read(s) : null;
    RespondConfig respond = hasRespond ? RespondConfig.read(s) : null;

    String stripPrefix = s.string("strip_prefix", null);
    if (stripPrefix != null && pattern != null && !pattern.hasLiteralPrefix(stripPrefix)) {
      s.problem("strip_prefix", "'" + stripPrefix + "' (expected: a leading part of path, whole segments, such as /api)");
      stripPrefix = null;
    }
    PathRewrite rewrite = null;
    String rewriteText = s.string("rewrite", null);
    if (rewriteText != null && pattern != null) {
      if (stripPrefix != null) {
        s.problem("rewrite", "cannot be combined with strip_prefix");
      }
      try {
        rewrite = PathRewrite.compile(rewriteText, pattern);
      } catch (IllegalArgumentException e) {
        s.problem("rewrite", "'" + rewriteText + "' (" + e.getMessage() + ")");
      }
    }

    List<AuthKind> auth = s.parsed("auth", AuthKind::parse);
    if (auth.contains(AuthKind.NONE) && auth.size() > 1) {
      s.problem("auth", "none cannot be combined with other kinds");
    }
    if (Set.copyOf(auth).size() < auth.size()) {
      s.problem("auth", "lists a kind twice");
    }
    if (s.has("mtls") && !auth.contains(AuthKind.MTLS)) {
      s.problem("mtls", "only applies with auth: [mtls]");
    }
    return new RouteConfig(id, pattern, Set.copyOf(methods), hosts, upstream, respond, stripPrefix, rewrite,
        s.duration("timeout", Duration.ofSeconds(30)), auth, MtlsConfig.read(s),
        s.bool("preserve_host", false), s.bool("forward_credentials", false));
  }

  static Set<String> keys() {
    return KEYS;
  }
}
