package io.gatehouse.config;

import io.gatehouse.config.path.PathPattern;
import io.gatehouse.config.path.PathRewrite;
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
 * @param roles an admitted caller must hold at least one of these (403 otherwise); empty means no role is needed
 * @param scopes an admitted caller must hold all of these (403 {@code insufficient_scope} otherwise)
 * @param audience a token must name this {@code aud} besides its issuer's (401 {@code invalid_token}), or null
 * @param preserveHost send the client's Host upstream instead of the target's
 * @param forwardCredentials pass the credentials (session cookie, bearer session token or JWT,
 *     API key) to the upstream; off by default, so an upstream can never replay them
 * @param identityToken send the caller as a short-lived JWT signed by Gatehouse in {@code X-Gatehouse-Identity}
 * @param authLevel the sign-in an admitted user must have made ({@code auth_level: mfa}: a second
 *     factor, RFC 9470), or null for any; token callers below it get 401
 *     {@code insufficient_user_authentication}, browsers are sent to step up
 * @param rateLimits its {@code rate_limit} entries, shortest window first; null when the route
 *     names none, so {@code rate_limits.default} applies ({@code rate_limit: []} opts out)
 */
public record RouteConfig(String id, PathPattern path, Set<String> methods, List<String> hosts,
    UpstreamConfig upstream, RespondConfig respond, String stripPrefix, PathRewrite rewrite,
    Duration timeout, List<AuthMethod> auth, MtlsConfig mtls, List<String> roles, List<String> scopes, String audience,
    boolean preserveHost, boolean forwardCredentials, boolean identityToken, List<RateLimitConfig> rateLimits,
    AuthLevel authLevel) {

  private static final Set<String> KEYS = Set.of("id", "path", "methods", "hosts", "upstream", "respond",
      "strip_prefix", "rewrite", "timeout", "auth", "mtls", "roles", "scopes", "audience", "preserve_host",
      "forward_credentials", "identity_token", "rate_limit", "auth_level");

  /** Which requests the route takes, and the path it passes on. */
  public RouteSelector selector() {
    return new RouteSelector(id, path, methods, hosts, stripPrefix, rewrite);
  }

  public boolean isOpen() {
    return auth.contains(AuthMethod.of(AuthKind.NONE));
  }

  /** The kinds of {@link #auth}, in order. */
  public List<AuthKind> authKinds() {
    return auth.stream().map(AuthMethod::kind).toList();
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

    List<AuthMethod> auth = s.parsed("auth", AuthMethod::parse);
    boolean open = auth.contains(AuthMethod.of(AuthKind.NONE));
    if (open && auth.size() > 1) {
      s.problem("auth", "none cannot be combined with other kinds");
    }
    if (Set.copyOf(auth).size() < auth.size()) {
      s.problem("auth", "lists a kind twice");
    }
    if (s.has("mtls") && !auth.contains(AuthMethod.of(AuthKind.MTLS))) {
      s.problem("mtls", "only applies with auth: [mtls]");
    }
    List<String> roles = s.parsed("roles", Roles::parse);
    List<String> scopes = s.parsed("scopes", RouteConfig::scope);
    String audience = s.string("audience", null);
    if (open && (!roles.isEmpty() || !scopes.isEmpty() || audience != null)) {
      s.problem("auth", "an open route (auth: [none]) cannot require roles, scopes or an audience");
    }
    boolean identityToken = s.bool("identity_token", false);
    if (identityToken && (open || !hasUpstream)) {
      s.problem("identity_token", "needs a guarded route with an upstream");
    }
    if (audience != null && auth.stream().noneMatch(m -> m.kind() == AuthKind.JWT)) {
      s.problem("audience", "only applies to tokens (auth: [jwt] or [jwt:<issuer>])");
    }
    AuthLevel authLevel = null;
    String level = s.string("auth_level", null);
    if (level != null) {
      try {
        authLevel = AuthLevel.parse(level);
      } catch (IllegalArgumentException e) {
        s.problem("auth_level", "'" + level + "' (expected: " + e.getMessage() + ")");
        authLevel = AuthLevel.MFA; // closed
      }
    }
    if (authLevel != null && auth.stream().noneMatch(m -> m.kind() == AuthKind.SESSION || m.kind() == AuthKind.JWT)) {
      s.problem("auth_level", "needs a kind that records how a user signed in (auth: [session] or [jwt])");
    }
    return new RouteConfig(id, pattern, Set.copyOf(methods), hosts, upstream, respond, stripPrefix, rewrite,
        s.duration("timeout", Duration.ofSeconds(30)), auth, MtlsConfig.read(s), roles, scopes,
        audience == null || audience.isBlank() ? null : audience,
        s.bool("preserve_host", false), s.bool("forward_credentials", false), identityToken,
        s.has("rate_limit") ? RateLimitConfig.readAll(s, "rate_limit") : null, authLevel);
  }

  /** RFC 6749 §3.3 scope-token: printable ASCII without space, {@code "} or {@code \\}. */
  private static String scope(String text) {
    if (!ScopeToken.isValid(text)) {
      throw new IllegalArgumentException("an RFC 6749 scope: 1-128 printable ASCII characters without space, \" or \\");
    }
    return text;
  }

  static Set<String> keys() {
    return KEYS;
  }
}
