package io.gatehouse.identity;

import io.gatehouse.config.Config;
import io.gatehouse.gateway.Endpoint;
import io.gatehouse.observability.AuditLog;
import io.gatehouse.store.Storage;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The identity capability assembled over a store: accounts, sessions, API keys, the audit log and
 * the callers' credentials. Used by the server (with {@link #endpoints}) and by the CLI alike.
 */
public record AccountServices(Accounts accounts, Sessions sessions, ApiKeys apiKeys, UserStore users,
    CallerResolver callers, SessionCookies cookies, AuditLog audit, Clock clock) {

  /** Blocking (prepares the password hasher): call it off the event loop. */
  public static AccountServices create(Vertx vertx, Storage store, Config config, Clock clock) {
    // Argon2 takes 19 MiB and a core for a moment per hash: as many at once as there are cores,
    // and at most a few seconds' worth waiting.
    int cores = Runtime.getRuntime().availableProcessors();
    HashingPool hashing = new HashingPool(vertx.createSharedWorkerExecutor("gatehouse-hash", cores), 32 * cores);
    SecretTokens tokens = new SecretTokens();
    Accounts accounts = new Accounts(store.users(), new PasswordHasher(PasswordHasher.Argon2Cost.OWASP),
        PasswordPolicy.withShippedList(), hashing, clock);
    Sessions sessions = new Sessions(store.sessions(), store.users(), config.sessions(), tokens, clock);
    ApiKeys apiKeys = new ApiKeys(store.apiKeys(), tokens, clock);
    SessionCookies cookies = new SessionCookies(config.sessions());
    CallerResolver callers = new CallerResolver(sessions, apiKeys, store.users(), cookies);
    return new AccountServices(accounts, sessions, apiKeys, store.users(), callers, cookies,
        new AuditLog(store.audit()), clock);
  }

  /** The account endpoints under {@code /auth}; signup only when enabled. */
  public List<Endpoint> endpoints(Config config) {
    SecretTokens tokens = new SecretTokens();
    AccountAudit accountAudit = new AccountAudit(audit, clock);
    CsrfCheck csrf = new CsrfCheck(config.issuer());
    LoginPage page = new LoginPage();
    LoginPageHandler loginPage = new LoginPageHandler(cookies, page, tokens);
    List<Endpoint> endpoints = new ArrayList<>();
    if (config.signup().enabled()) {
      endpoints.add(new Endpoint("auth:signup", "/auth/signup",
          Map.of(HttpMethod.POST, new SignupHandler(accounts, callers, config.signup(), csrf, accountAudit))));
    }
    endpoints.add(new Endpoint("auth:login", "/auth/login", Map.of(
        HttpMethod.GET, loginPage,
        HttpMethod.POST, new LoginHandler(accounts, sessions, cookies, csrf, page, loginPage, accountAudit))));
    endpoints.add(new Endpoint("auth:logout", "/auth/logout",
        Map.of(HttpMethod.POST, new LogoutHandler(callers, sessions, cookies, csrf, accountAudit))));
    endpoints.add(new Endpoint("auth:session", "/auth/session",
        Map.of(HttpMethod.GET, new SessionHandler(callers, sessions))));
    endpoints.add(new Endpoint("auth:password", "/auth/password",
        Map.of(HttpMethod.POST, new PasswordHandler(callers, accounts, sessions, csrf, accountAudit))));
    return List.copyOf(endpoints);
  }
}
