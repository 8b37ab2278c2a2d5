package io.gatehouse.identity;

import io.gatehouse.config.Config;
import io.gatehouse.config.ManagementConfig;
import io.gatehouse.config.AuthKind;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.FormCsrf;
import io.gatehouse.observability.AuditLog;
import io.gatehouse.observability.AuditStore;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The identity capability assembled over a store: accounts, sessions, API keys, the audit log and
 * the browser cookies. Used by the server (with {@link #endpoints}) and by the CLI alike.
 */
public record AccountServices(Accounts accounts, Sessions sessions, ApiKeys apiKeys, UserStore users,
    SessionCookies cookies, AuditLog audit, Clock clock) {

  /**
   * Blocking (prepares the password hasher): call it off the event loop.
   *
   * @param changes where session ends and user changes are announced to the other instances
   * @param issued the tokens issued on a session's or an account's strength, which end with it
   */
  public static AccountServices create(Vertx vertx, Stores store, Config config, Clock clock,
      Sessions.Changes changes, IssuedTokens issued) {
    // Argon2 takes 19 MiB and a core for a moment per hash: as many at once as there are cores,
    // and at most a few seconds' worth waiting.
    int cores = Runtime.getRuntime().availableProcessors();
    HashingPool hashing = new HashingPool(vertx.createSharedWorkerExecutor("gatehouse-hash", cores), 32 * cores);
    SecretTokens tokens = new SecretTokens();
    Accounts accounts = new Accounts(store.users(), new PasswordHasher(PasswordHasher.Argon2Cost.OWASP),
        PasswordPolicy.withShippedList(), hashing, clock);
    Sessions sessions = new Sessions(store.sessions(), store.users(), config.sessions(), tokens, clock, changes,
        issued);
    ApiKeys apiKeys = new ApiKeys(store.apiKeys(), tokens, clock);
    return new AccountServices(accounts, sessions, apiKeys, store.users(), new SessionCookies(config.sessions()),
        new AuditLog(store.audit()), clock);
  }

  /** The storage ports identity's services are made over. */
  public record Stores(UserStore users, SessionStore sessions, ApiKeyStore apiKeys, AuditStore audit) {
  }

  /** The administrative operations, shared by the CLI and the admin API. */
  public AccountAdmin admin() {
    return new AccountAdmin(accounts, users, sessions, apiKeys, clock);
  }

  /** Who may call the admin API, as {@code management} configures it. */
  /** @param firstParty whether a client id names a first-party client, whose tokens may carry an admin's authority */
  public AdminAccess adminAccess(ManagementConfig management, Function<String, Future<Boolean>> firstParty) {
    return new AdminAccess(audit, clock, management.admitsCertificates() ? management.adminCertificates() : null,
        users, firstParty);
  }

  /** The admin API for accounts, on the management listener. */
  public List<Endpoint> adminEndpoints(AdminAccess access) {
    return new AdminEndpoints(admin(), access).endpoints();
  }

  /**
   * The account endpoints under {@code /auth}, each declaring who the guard admits: login is open
   * (its form with the login-CSRF proof);
   * logout, session and password need a session; signup is open, or needs an API key with scope
   * {@code signup} (or role admin), or an admin's key or session, as {@code signup.requires} says.
   * Signup is absent (404) when disabled.
   */
  public List<Endpoint> endpoints(Config config, LoginTokens loginTokens, LoginThrottle throttle) {
    AccountAudit accountAudit = new AccountAudit(audit, clock);
    LoginPage page = new LoginPage();
    LoginPageHandler loginPage = new LoginPageHandler(cookies, page, new SecretTokens());
    List<Endpoint> endpoints = new ArrayList<>();
    if (config.signup().enabled()) {
      Endpoint.Builder signup = Endpoint.at("auth:signup", "/auth/signup")
          .on(HttpMethod.POST, new SignupHandler(accounts, config.signup(), accountAudit))
          .rateLimits(config.signup().rateLimit());
      switch (config.signup().requires()) {
        case "api_key" -> signup.auth(AuthKind.API_KEY)
            .requires(caller -> caller.hasRole("admin") || caller.scopes().contains("signup"));
        case "admin" -> signup.auth(AuthKind.API_KEY, AuthKind.SESSION).requires(caller -> caller.hasRole("admin"));
        default -> signup.auth(AuthKind.NONE);
      }
      endpoints.add(signup.build());
    }
    // Login CSRF: a foreign page must not sign the victim in to the attacker's account.
    endpoints.add(Endpoint.at("auth:login", "/auth/login").auth(AuthKind.NONE)
        .formCsrf(new FormCsrf.DoubleSubmit(LoginHandler.CSRF_FIELD, cookies.loginCsrfCookieName(false),
            cookies.loginCsrfCookieName(true)))
        .problems(loginPage)
        .on(HttpMethod.GET, loginPage)
        .on(HttpMethod.POST, new LoginHandler(accounts, sessions, cookies, page, accountAudit, loginTokens, throttle))
        .build());
    endpoints.add(Endpoint.at("auth:logout", "/auth/logout").auth(AuthKind.SESSION)
        .on(HttpMethod.POST, new LogoutHandler(sessions, cookies, accountAudit)).build());
    endpoints.add(Endpoint.at("auth:session", "/auth/session").auth(AuthKind.SESSION)
        .on(HttpMethod.GET, new SessionHandler(sessions)).build());
    endpoints.add(Endpoint.at("auth:password", "/auth/password").auth(AuthKind.SESSION)
        .on(HttpMethod.POST, new PasswordHandler(accounts, sessions, accountAudit, throttle)).build());
    return List.copyOf(endpoints);
  }
}
