package io.gatehouse.http;

import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.config.MtlsConfig;
import io.gatehouse.config.AuthKind;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A built-in endpoint: a function from an immutable {@link Request} to a future {@link Response},
 * declared with its route, methods and credential kinds. It is routed, guarded, limited and
 * logged like any configured route; the guard admits its callers from the declared {@code auth}
 * (and {@code requires}) and checks its form's CSRF proof ({@code formCsrf}), so no endpoint
 * checks a credential itself. A method it does not declare
 * gets 405 with {@code Allow}. Immutable.
 */
public final class Endpoint {

  /** Answers one request. A failed future with a {@link ProblemException} answers with that problem. */
  @FunctionalInterface
  public interface Handler {
    Future<Response> handle(Request request);
  }

  /** Account and token requests are a few hundred bytes; anything near this is not one. */
  public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;

  private final String id;
  private final String path;
  private final Map<HttpMethod, Handler> handlers;
  private final List<AuthKind> auth;
  private final Function<Principal, Future<Boolean>> requirement;
  private final MtlsConfig mtls;
  private final boolean optional;
  private final boolean crossSite;
  private final int maxBodyBytes;
  private final List<RateLimitConfig> rateLimits;
  private final FormCsrf formCsrf;
  private final ProblemFormat problems;

  private Endpoint(Builder builder) {
    this.id = builder.id;
    this.path = builder.path;
    this.handlers = Map.copyOf(builder.handlers);
    this.auth = List.copyOf(builder.auth);
    this.requirement = builder.requirement;
    this.mtls = builder.mtls;
    this.optional = builder.optional;
    this.crossSite = builder.crossSite;
    this.maxBodyBytes = builder.maxBodyBytes;
    this.rateLimits = builder.rateLimits;
    this.formCsrf = builder.formCsrf;
    this.problems = builder.problems;
  }

  /** @param id a route id with a ':' ({@code auth:login}), which configured routes cannot have */
  public static Builder at(String id, String path) {
    return new Builder(id, path);
  }

  public String id() {
    return id;
  }

  public String path() {
    return path;
  }

  public Map<HttpMethod, Handler> handlers() {
    return handlers;
  }

  public List<AuthKind> auth() {
    return auth;
  }

  /** What an admitted principal must also satisfy (403 otherwise); null for nothing more. */
  public Function<Principal, Future<Boolean>> requirement() {
    return requirement;
  }

  /** The client certificates {@code mtls} admits (an allow-list), or null for any from {@code client_ca}. */
  public MtlsConfig mtls() {
    return mtls;
  }

  /**
   * A request without any credential reaches the handler with no principal instead of getting a
   * 401: the handler answers it (the authorization endpoint checks the request, then sends the
   * browser to sign in). A credential presented and refused is still refused by the guard.
   */
  public boolean optional() {
    return optional;
  }

  /**
   * Accepts cookie callers' requests from other sites: it changes nothing that a GET could not (an
   * OAuth authorization request sent as a form), so the guard's CSRF check does not apply.
   */
  public boolean crossSite() {
    return crossSite;
  }

  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Its own rate limits, on top of those every built-in endpoint has ({@code rate_limits.builtin}). */
  public List<RateLimitConfig> rateLimits() {
    return rateLimits;
  }

  /** How the guard checks that a form posted here came from this gateway's page, or null for no such check. */
  public FormCsrf formCsrf() {
    return formCsrf;
  }

  /** How this endpoint answers problems, or null for problem+json. */
  public ProblemFormat problems() {
    return problems;
  }

  /**
   * Whether the guard needs the body: the endpoint admits OAuth clients, whose credentials are
   * form parameters, or checks its form's CSRF proof.
   */
  public boolean readsBodyBeforeGuard() {
    return formCsrf != null || auth.contains(AuthKind.OAUTH_CLIENT) || auth.contains(AuthKind.OAUTH_PUBLIC_CLIENT);
  }

  /** Collects one endpoint's declaration. */
  public static final class Builder {
    private final String id;
    private final String path;
    private final Map<HttpMethod, Handler> handlers = new LinkedHashMap<>();
    private List<AuthKind> auth = List.of();
    private Function<Principal, Future<Boolean>> requirement;
    private MtlsConfig mtls;
    private boolean optional;
    private boolean crossSite;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private List<RateLimitConfig> rateLimits = List.of();
    private FormCsrf formCsrf;
    private ProblemFormat problems;

    private Builder(String id, String path) {
      if (id.indexOf(':') < 0) {
        throw new IllegalArgumentException("a built-in endpoint id has a ':': " + id);
      }
      this.id = id;
      this.path = path;
    }

    /** The credential kinds that admit a caller, tried in this order; {@code NONE} opens the endpoint. */
    public Builder auth(AuthKind... kinds) {
      this.auth = List.of(kinds);
      return this;
    }

    /** With {@link AuthKind#MTLS}: the certificates admitted. */
    public Builder mtls(MtlsConfig allowed) {
      this.mtls = allowed;
      return this;
    }

    /** See {@link Endpoint#optional()}. */
    public Builder optional() {
      this.optional = true;
      return this;
    }

    /** See {@link Endpoint#crossSite()}. */
    public Builder crossSite() {
      this.crossSite = true;
      return this;
    }

    /** What an admitted principal must also satisfy, from what it carries. */
    public Builder requires(Predicate<Principal> check) {
      this.requirement = principal -> Future.succeededFuture(check.test(principal));
      return this;
    }

    /** What an admitted principal must also satisfy, decided now (it may read the store). */
    public Builder requiresCurrent(Function<Principal, Future<Boolean>> check) {
      this.requirement = check;
      return this;
    }

    /** See {@link Endpoint#formCsrf()}. */
    public Builder formCsrf(FormCsrf check) {
      this.formCsrf = check;
      return this;
    }

    /** See {@link Endpoint#problems()}. */
    public Builder problems(ProblemFormat format) {
      this.problems = format;
      return this;
    }

    public Builder on(HttpMethod method, Handler handler) {
      handlers.put(method, handler);
      return this;
    }

    public Builder maxBodyBytes(int bytes) {
      this.maxBodyBytes = bytes;
      return this;
    }

    public Builder rateLimits(List<RateLimitConfig> limits) {
      this.rateLimits = List.copyOf(limits);
      return this;
    }

    public Endpoint build() {
      if (auth.isEmpty()) {
        throw new IllegalStateException(id + ": declare auth (AuthKind.NONE for an open endpoint)");
      }
      if (handlers.isEmpty()) {
        throw new IllegalStateException(id + ": no methods");
      }
      return new Endpoint(this);
    }
  }
}
