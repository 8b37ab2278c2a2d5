package io.gatehouse.identity.web;

import io.gatehouse.config.AuthKind;
import io.gatehouse.config.ManagementConfig;
import io.gatehouse.config.SignupConfig;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.FormCsrf;
import io.gatehouse.identity.AccountServices;
import io.gatehouse.identity.LoginThrottle;
import io.gatehouse.identity.LoginTokens;
import io.gatehouse.identity.SecretTokens;
import io.gatehouse.identity.SessionCookies;
import io.gatehouse.identity.passkey.Passkeys;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The identity capability's HTTP face over its services: the account endpoints under
 * {@code /auth} for the public listeners, and the admin API's account endpoints and access rule
 * for the management listener. Built at the composition root.
 */
public final class AccountEndpoints {

  private final AccountServices services;
  private final boolean passkeyButton;

  public AccountEndpoints(AccountServices services) {
    this(services, false);
  }

  /** @param passkeyButton whether the login page offers "Sign in with a passkey" ({@code passkeys.enabled}) */
  public AccountEndpoints(AccountServices services, boolean passkeyButton) {
    this.services = services;
    this.passkeyButton = passkeyButton;
  }

  /**
   * The account endpoints under {@code /auth}, each declaring who the guard admits: login is open
   * (its form with the login-CSRF proof); logout, session and password need a session; signup is
   * open, or needs an API key with scope {@code signup} (or role admin), or an admin's key or
   * session, as {@code signup.requires} says. Signup is absent (404) when disabled.
   */
  public List<Endpoint> endpoints(SignupConfig signupConfig, LoginTokens loginTokens, LoginThrottle throttle) {
    AccountAudit accountAudit = new AccountAudit(services.audit(), services.clock());
    SessionCookies cookies = services.cookies();
    LoginPage page = new LoginPage(passkeyButton);
    LoginPageHandler loginPage = new LoginPageHandler(cookies, page, new SecretTokens());
    List<Endpoint> endpoints = new ArrayList<>();
    if (signupConfig.enabled()) {
      Endpoint.Builder signup = Endpoint.at("auth:signup", "/auth/signup")
          .on(HttpMethod.POST, new SignupHandler(services.accounts(), signupConfig, accountAudit))
          .rateLimits(signupConfig.rateLimit());
      switch (signupConfig.requires()) {
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
        .on(HttpMethod.POST, new LoginHandler(services.accounts(), services.sessions(), cookies, page, accountAudit,
            loginTokens, throttle, services.secondFactors(), services.pendingSignIns(),
            services.identity().mfaRequired()))
        .build());
    // The second factor: a signed-in user stepping up, or a half-done sign-in (its own cookie, checked
    // by the handlers like a password). Its forms carry the login page's double-submit proof, which
    // holds for both; a JSON body cannot come from another site without a preflight.
    SecondFactorSignIn flow = new SecondFactorSignIn(services, throttle, accountAudit, loginTokens);
    SecondFactorPage factorPage = new SecondFactorPage(passkeyButton);
    FormCsrf doubleSubmit = new FormCsrf.DoubleSubmit(LoginHandler.CSRF_FIELD, cookies.loginCsrfCookieName(false),
        cookies.loginCsrfCookieName(true));
    SecondFactorHandler factor = new SecondFactorHandler(flow, factorPage);
    endpoints.add(Endpoint.at("auth:mfa", SecondFactorHandler.PATH).auth(AuthKind.SESSION).optional().crossSite()
        .formCsrf(doubleSubmit).on(HttpMethod.GET, factor).on(HttpMethod.POST, factor).build());
    EnrolmentHandler enrolment = new EnrolmentHandler(flow, factorPage);
    endpoints.add(Endpoint.at("auth:mfa-enrol", EnrolmentHandler.PATH).auth(AuthKind.SESSION).optional().crossSite()
        .formCsrf(doubleSubmit).on(HttpMethod.GET, enrolment).on(HttpMethod.POST, enrolment).build());
    endpoints.add(Endpoint.at("auth:logout", "/auth/logout").auth(AuthKind.SESSION)
        .on(HttpMethod.POST, new LogoutHandler(services.sessions(), cookies, accountAudit)).build());
    endpoints.add(Endpoint.at("auth:session", "/auth/session").auth(AuthKind.SESSION)
        .on(HttpMethod.GET, new SessionHandler(services.sessions())).build());
    endpoints.add(Endpoint.at("auth:password", "/auth/password").auth(AuthKind.SESSION)
        .on(HttpMethod.POST, new PasswordHandler(passwordChange(throttle))).build());
    return List.copyOf(endpoints);
  }

  /** A signed-in user's password change, for {@code /auth/password} and the account page. */
  public PasswordChange passwordChange(LoginThrottle throttle) {
    return new PasswordChange(services.accounts(), services.sessions(),
        new AccountAudit(services.audit(), services.clock()), throttle, services.clock());
  }

  /**
   * Who may call the admin API, as {@code management} configures it.
   *
   * @param firstParty whether a client id names a first-party client, whose tokens may carry an admin's authority
   */
  public AdminAccess adminAccess(ManagementConfig management, Function<String, Future<Boolean>> firstParty) {
    return new AdminAccess(services.audit(), services.clock(),
        management.admitsCertificates() ? management.adminCertificates() : null, services.users(), firstParty);
  }

  /** The admin API for accounts, on the management listener; {@code passkeys}: the users' passkeys. */
  public List<Endpoint> adminEndpoints(AdminAccess access, Passkeys passkeys) {
    return new AdminEndpoints(services.admin(), access, passkeys).endpoints();
  }
}
