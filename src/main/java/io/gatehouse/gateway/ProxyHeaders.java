package io.gatehouse.gateway;

import io.gatehouse.config.AuthKind;
import io.gatehouse.guard.CredentialShapes;
import io.gatehouse.http.Principal;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.FoldedNames;
import io.gatehouse.http.TraceContext;
import io.gatehouse.http.TrustedProxies;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Header rules at the proxy boundary, both ways, applied to Netty's decoded headers in place
 * (one pass over the names; removals collected, then made; nothing copied).
 *
 * <p>Toward the upstream:
 * <ul>
 *   <li>hop-by-hop headers (RFC 9110 §7.6.1: {@code Connection}, {@code Keep-Alive},
 *       {@code Proxy-Connection}, {@code TE}, {@code Trailer}, {@code Transfer-Encoding},
 *       {@code Upgrade} outside a WebSocket handshake, {@code Proxy-Authorization}) and every
 *       header named in {@code Connection}; {@code Expect}, which Gatehouse answers itself;</li>
 *   <li>client-sent identity headers ({@code X-Gatehouse-*}) under every spelling an upstream
 *       framework folds into the same name ({@code X_Gatehouse_Subject}, {@code x.gatehouse.roles}),
 *       and look-alikes of the forwarding headers Gatehouse sets;</li>
 *   <li>unless the peer is a trusted proxy, headers upstreams commonly trust for routing or
 *       identity: {@code X-Original-URL}, {@code X-Rewrite-URL}, {@code X-Forwarded-Prefix},
 *       {@code X-Forwarded-Port}, {@code X-Real-IP}, {@code X-Client-Cert}, {@code X-SSL-Client-*},
 *       {@code X-HTTP-Method-Override} (and its variants);</li>
 *   <li>unless the route says {@code forward_credentials: true}, Gatehouse's own credentials: the
 *       session cookie under either name, a bearer session token, a bearer JWT whose {@code iss} is
 *       Gatehouse's (whatever admitted the request), and a {@code gh_} API key in
 *       {@code Authorization} or {@code X-Api-Key};</li>
 * </ul>
 * then {@code X-Forwarded-For/-Proto/-Host} and {@code Forwarded} (RFC 7239) are set, replacing
 * what an untrusted peer sent and appending to what a trusted proxy sent (several
 * {@code X-Forwarded-For} lines read as one list); the request id travels along, and W3C
 * {@code traceparent} and {@code tracestate} are replaced by the exchange's trace with Gatehouse's
 * span as the parent (the caller's never pass unchanged); the admitted caller's identity goes as
 * {@code X-Gatehouse-Subject}, {@code -Roles}, {@code -Scopes}, {@code -Client} and {@code -Auth}.
 *
 * <p>From the upstream: the same hop-by-hop removal (the {@code Upgrade} of a 101 kept), and every
 * {@code Access-Control-*} header, since CORS is Gatehouse's to answer. Thread-safe.
 */
final class ProxyHeaders {

  /** Hop-by-hop (RFC 9110 §7.6.1) and {@code Expect}, which Gatehouse answers itself; {@code Connection} and {@code Upgrade} apart. */
  private static final List<String> HOP_BY_HOP_NAMES = List.of("keep-alive", "proxy-connection", "te",
      "trailer", "transfer-encoding", "proxy-authorization", "proxy-authenticate", "expect");
  /**
   * Set by Gatehouse itself, so removed under every spelling (a client's look-alike would reach a
   * folding upstream as the real thing) and then added once.
   */
  private static final List<String> MANAGED_NAMES = List.of("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
      "forwarded", "x-request-id", "traceparent", "tracestate", "host");
  private static final List<String> TRUSTED_ONLY_NAMES = List.of("x-original-url", "x-rewrite-url", "x-forwarded-prefix",
      "x-forwarded-port", "x-forwarded-server", "x-real-ip", "x-client-ip", "x-client-cert", "x-client-certificate",
      "x-http-method-override", "x-http-method", "x-method-override");
  private static final String TRUSTED_ONLY_PREFIX = "x-ssl-client-";
  private static final String IDENTITY_PREFIX = "x-gatehouse-";
  private static final String HTTP2_PREFIX = "x-http2-";
  private static final String ACCESS_CONTROL_PREFIX = "access-control-";

  private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
  private static final AsciiString FORWARDED = AsciiString.cached("forwarded");
  private static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
  private static final AsciiString TRACEPARENT = AsciiString.cached("traceparent");
  private static final AsciiString TRACESTATE = AsciiString.cached("tracestate");
  private static final AsciiString X_API_KEY = AsciiString.cached("x-api-key");
  private static final AsciiString SUBJECT = AsciiString.cached("x-gatehouse-subject");
  private static final AsciiString ROLES = AsciiString.cached("x-gatehouse-roles");
  private static final AsciiString SCOPES = AsciiString.cached("x-gatehouse-scopes");
  private static final AsciiString CLIENT = AsciiString.cached("x-gatehouse-client");
  private static final AsciiString AUTH = AsciiString.cached("x-gatehouse-auth");
  private static final AsciiString IDENTITY = AsciiString.cached("x-gatehouse-identity");
  private static final AsciiString HTTP = AsciiString.cached("http");
  private static final AsciiString HTTPS = AsciiString.cached("https");

  private final TrustedProxies trustedProxies;
  private final String sessionCookie;
  private final String hostSessionCookie;
  private final String ownIssuer;
  /** Bearer values seen lately, and whether each is a JWT of Gatehouse's own. */
  private final Map<String, Boolean> recentBearers = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_RECENT_BEARERS = 4096;

  /**
   * @param sessionCookieName the session cookie's base name; its {@code __Host-} form is stripped too
   * @param ownIssuer Gatehouse's {@code iss}: a bearer JWT naming it is Gatehouse's credential
   */
  ProxyHeaders(TrustedProxies trustedProxies, String sessionCookieName, String ownIssuer) {
    this.trustedProxies = trustedProxies;
    this.sessionCookie = sessionCookieName;
    this.hostSessionCookie = "__Host-" + sessionCookieName;
    this.ownIssuer = ownIssuer;
  }

  /**
   * Rewrites a client request's headers into the upstream request's, in place.
   *
   * @param hostHeader the {@code Host} to send: the target's, or the client's with {@code preserve_host}
   * @param websocket keep {@code Upgrade: websocket} and send {@code Connection: Upgrade}
   * @param chunked the body is streamed without a length
   * @param identityToken the caller as a signed JWT for {@code X-Gatehouse-Identity}, or null
   * @param trace the trace as the upstream is to see it: its parent span is Gatehouse's upstream call
   */
  void toUpstream(HttpHeaders headers, Exchange exchange, String hostHeader, boolean forwardCredentials,
      boolean websocket, boolean chunked, String identityToken, TraceContext trace) {
    String peer = exchange.connection().peerAddress();
    boolean trusted = trustedProxies.isTrusted(peer);
    String clientHost = exchange.host();
    String forwardedFor = trusted ? joined(headers, X_FORWARDED_FOR) : null;
    String forwardedProto = trusted ? headers.get(X_FORWARDED_PROTO) : null;
    String forwardedHost = trusted ? headers.get(X_FORWARDED_HOST) : null;
    String forwarded = trusted ? joined(headers, FORWARDED) : null;

    Principal principal = exchange.principal();
    boolean jwtAdmitted = principal != null && principal.kind() == AuthKind.JWT;
    List<CharSequence> remove = new ArrayList<>(4);
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> header = it.next();
      CharSequence name = header.getKey();
      if (FoldedNames.equals(name, "connection")) {
        listedIn(header.getValue(), remove);
      }
      if (removedToUpstream(name, header.getValue(), trusted, forwardCredentials, jwtAdmitted, websocket)) {
        remove.add(name);
      }
    }
    for (CharSequence name : remove) {
      headers.remove(name);
    }
    if (!forwardCredentials && headers.contains(HttpHeaderNames.COOKIE)) {
      stripSessionCookie(headers);
    }

    // Every name below was removed in the scan, so adding is enough (no second lookup to replace).
    headers.add(HttpHeaderNames.HOST, hostHeader);
    String proto = exchange.https() ? "https" : "http";
    headers.add(X_FORWARDED_FOR, forwardedFor == null ? peer : forwardedFor + ", " + peer);
    headers.add(X_FORWARDED_PROTO, forwardedProto != null ? forwardedProto : exchange.https() ? HTTPS : HTTP);
    if (forwardedHost != null) {
      headers.add(X_FORWARDED_HOST, forwardedHost);
    } else if (clientHost != null) {
      headers.add(X_FORWARDED_HOST, clientHost);
    }
    String element = "for=" + forwardedNode(peer) + ";proto=" + proto + (clientHost == null ? "" : ";host=\"" + clientHost + "\"");
    headers.add(FORWARDED, forwarded == null ? element : forwarded + ", " + element);
    headers.add(X_REQUEST_ID, exchange.requestId());
    headers.add(TRACEPARENT, trace.traceparent());
    if (trace.traceState() != null) {
      headers.add(TRACESTATE, trace.traceState());
    }
    if (websocket) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    } else if (chunked) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    if (principal != null) {
      headers.set(SUBJECT, principal.subject());
      if (!principal.roles().isEmpty()) {
        headers.set(ROLES, String.join(" ", principal.roles()));
      }
      if (!principal.scopes().isEmpty()) {
        headers.set(SCOPES, String.join(" ", principal.scopes()));
      }
      if (principal.client() != null) {
        headers.set(CLIENT, principal.client());
      }
      headers.set(AUTH, principal.kind().configName());
    }
    if (identityToken != null) {
      headers.set(IDENTITY, identityToken);
    }
  }

  /** @param jwtAdmitted a bearer JWT admitted the caller: its {@code Authorization} goes, unread */
  private boolean removedToUpstream(CharSequence name, CharSequence value, boolean trusted, boolean forwardCredentials,
      boolean jwtAdmitted, boolean websocket) {
    if (name.length() >= IDENTITY_PREFIX.length() && (FoldedNames.startsWith(name, IDENTITY_PREFIX)
        || FoldedNames.startsWith(name, HTTP2_PREFIX) || (!trusted && FoldedNames.startsWith(name, TRUSTED_ONLY_PREFIX)))) {
      return true;
    }
    Rule rule = Rule.of(name);
    if (rule == null) {
      return false;
    }
    return switch (rule) {
      case HOP_BY_HOP -> true;
      case UPGRADE -> !websocket;
      case MANAGED -> true; // set afresh below (their trusted values were read first)
      case TRUSTED_ONLY -> !trusted;
      case AUTHORIZATION -> !forwardCredentials && (jwtAdmitted || isGatehouseAuthorization(value) || isOwnJwt(value));
      case API_KEY -> !forwardCredentials && startsWith(value, "gh_");
      case CONNECTION -> true;
    };
  }

  /**
   * What the proxy does with a request header of a given name (folded), looked up by length so
   * that a header is compared with the one or two names it could be rather than with every one.
   */
  private enum Rule {
    HOP_BY_HOP, UPGRADE, MANAGED, TRUSTED_ONLY, AUTHORIZATION, API_KEY, CONNECTION;

    private static final String[][] NAMES_BY_LENGTH = new String[32][];
    private static final Rule[][] RULES_BY_LENGTH = new Rule[32][];

    static {
      java.util.Map<String, Rule> all = new java.util.LinkedHashMap<>();
      HOP_BY_HOP_NAMES.forEach(n -> all.put(n, HOP_BY_HOP));
      all.put("connection", CONNECTION);
      all.put("upgrade", UPGRADE);
      MANAGED_NAMES.forEach(n -> all.put(n, MANAGED));
      TRUSTED_ONLY_NAMES.forEach(n -> all.put(n, TRUSTED_ONLY));
      all.put("authorization", AUTHORIZATION);
      all.put("x-api-key", API_KEY);
      for (int length = 0; length < NAMES_BY_LENGTH.length; length++) {
        int l = length;
        NAMES_BY_LENGTH[length] = all.keySet().stream().filter(n -> n.length() == l).toArray(String[]::new);
        RULES_BY_LENGTH[length] = all.entrySet().stream().filter(e -> e.getKey().length() == l)
            .map(java.util.Map.Entry::getValue).toArray(Rule[]::new);
      }
    }

    static Rule of(CharSequence name) {
      int length = name.length();
      if (length >= NAMES_BY_LENGTH.length) {
        return null;
      }
      String[] candidates = NAMES_BY_LENGTH[length];
      for (int i = 0; i < candidates.length; i++) {
        if (FoldedNames.equals(name, candidates[i])) {
          return RULES_BY_LENGTH[length][i];
        }
      }
      return null;
    }
  }

  /**
   * {@code Bearer <JWT>} whose {@code iss} is Gatehouse's own: removed on every route, whatever
   * admitted the request, so an upstream never holds a token it could replay elsewhere. The claims
   * are read, not verified: a forgery naming Gatehouse is not the upstream's either.
   */
  private boolean isOwnJwt(CharSequence value) {
    String text = value.toString().strip();
    if (!text.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    // A client sends the same token again and again: its claims are read once, not per request.
    String token = text.substring(7).strip();
    if (!CredentialShapes.isJwt(token)) {
      return false;
    }
    Boolean own = recentBearers.get(token);
    if (own == null) {
      own = CredentialShapes.isJwtOf(token, ownIssuer);
      if (recentBearers.size() >= MAX_RECENT_BEARERS) {
        recentBearers.clear(); // a flood of distinct tokens: start over rather than grow
      }
      recentBearers.put(token, own);
    }
    return own;
  }

  /** {@code Bearer <session token>}, {@code Bearer gh_…} or {@code ApiKey gh_…}: Gatehouse's, never the upstream's. */
  static boolean isGatehouseAuthorization(CharSequence value) {
    String text = value.toString().strip();
    int space = text.indexOf(' ');
    if (space < 0) {
      return false;
    }
    String scheme = text.substring(0, space);
    String token = text.substring(space + 1).strip();
    if (scheme.equalsIgnoreCase("ApiKey")) {
      return true;
    }
    if (!scheme.equalsIgnoreCase("Bearer")) {
      return false;
    }
    return CredentialShapes.isApiKey(token) || CredentialShapes.isSessionToken(token);
  }

  private static boolean startsWith(CharSequence value, String prefix) {
    return value.length() >= prefix.length() && value.subSequence(0, prefix.length()).toString().equals(prefix);
  }

  /** Removes the session cookie (both names) from every {@code Cookie} line, keeping the other pairs as sent. */
  private void stripSessionCookie(HttpHeaders headers) {
    List<String> lines = headers.getAll(HttpHeaderNames.COOKIE);
    boolean found = false;
    for (String line : lines) {
      if (line.contains(sessionCookie)) {
        found = true;
        break;
      }
    }
    if (!found) {
      return;
    }
    List<String> kept = new ArrayList<>();
    for (String line : lines) {
      // RFC 6265 §4.2.1: pairs are separated by "; " and a cookie-value never contains ';'.
      for (String pair : line.split(";")) {
        String trimmed = pair.strip();
        if (!trimmed.isEmpty() && !trimmed.startsWith(sessionCookie + "=") && !trimmed.startsWith(hostSessionCookie + "=")) {
          kept.add(trimmed);
        }
      }
    }
    headers.remove(HttpHeaderNames.COOKIE);
    if (!kept.isEmpty()) {
      headers.set(HttpHeaderNames.COOKIE, String.join("; ", kept));
    }
  }

  /**
   * Rewrites an upstream response's headers for the client, in place.
   *
   * @param upgrade the response is the 101 of a WebSocket handshake: keep its {@code Upgrade}
   */
  void fromUpstream(HttpResponse response, boolean upgrade) {
    HttpHeaders headers = response.headers();
    List<CharSequence> remove = null;
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> header = it.next();
      CharSequence name = header.getKey();
      Rule rule = Rule.of(name);
      boolean drop = FoldedNames.startsWith(name, ACCESS_CONTROL_PREFIX) || rule == Rule.HOP_BY_HOP
          || (rule == Rule.UPGRADE && !upgrade);
      if (drop || rule == Rule.CONNECTION) {
        if (remove == null) {
          remove = new ArrayList<>(4);
        }
        if (rule == Rule.CONNECTION) {
          listedIn(header.getValue(), remove);
        }
        remove.add(name);
      }
    }
    if (remove != null) {
      for (CharSequence name : remove) {
        if (!(upgrade && FoldedNames.equals(name, "upgrade"))) {
          headers.remove(name);
        }
      }
    }
    if (upgrade) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }
  }

  /** The header names a {@code Connection} value lists (RFC 9110 §7.6.1), except the tokens that are not names. */
  private static void listedIn(CharSequence value, List<CharSequence> into) {
    String text = value.toString();
    if (text.indexOf(',') < 0) { // the common case: one token, usually "keep-alive"
      addListed(text.trim(), into);
      return;
    }
    for (String token : text.split(",")) {
      addListed(token.trim(), into);
    }
  }

  private static void addListed(String name, List<CharSequence> into) {
    if (!name.isEmpty() && !name.equalsIgnoreCase("close") && !name.equalsIgnoreCase("keep-alive")
        && !name.equalsIgnoreCase("upgrade")) {
      into.add(name);
    }
  }

  private static String joined(HttpHeaders headers, CharSequence name) {
    List<String> values = headers.getAll(name);
    return values.isEmpty() ? null : String.join(", ", values);
  }

  /** RFC 7239 §6: IPv6 addresses are bracketed and the whole value quoted. */
  private static String forwardedNode(String address) {
    return address.indexOf(':') >= 0 ? "\"[" + address + "]\"" : address;
  }
}
