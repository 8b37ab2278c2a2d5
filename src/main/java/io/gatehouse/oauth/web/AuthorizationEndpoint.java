package io.gatehouse.oauth.web;

import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.OIDCError;
import io.gatehouse.config.AuthKind;
import io.gatehouse.config.AuthLevel;
import io.gatehouse.http.Principal;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.FormCsrf;
import io.gatehouse.identity.Callers;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.gatehouse.identity.Sessions;
import io.gatehouse.oauth.AuthorizationCode;
import io.gatehouse.oauth.AuthorizationCodes;
import io.gatehouse.oauth.Clients;
import io.gatehouse.oauth.ConsentStore;
import io.gatehouse.oauth.OAuthClient;
import io.gatehouse.oauth.Scopes;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code /oauth2/authorize} (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2). The client and its exact
 * redirect URI are checked before anything else, each given once, and no parameter twice: if any
 * of that is wrong the answer is an error page here, never a redirect, with or without a session
 * (RFC 6749 §4.1.2.1). After that every error goes back to the client's redirect URI with its
 * {@code state}. Only {@code response_type=code}; PKCE with S256 (RFC 7636), required for public
 * clients; scopes within the client's (with {@code openid}, also {@code profile} and {@code email},
 * OIDC Core §5.4); {@code request} and {@code request_uri} are not supported (§6: their errors).
 *
 * <p>The route guard admits a session, or a request without one; this endpoint then decides:
 * without a session (or with one older than {@code max_age}, or with {@code prompt=login}) a
 * browser is sent to the sign-in page and back, and {@code prompt=none} answers
 * {@code login_required} instead. A first-party client, or one the user already allowed these
 * scopes, gets its code at once, unless {@code prompt=consent}; otherwise GET shows the consent page
 * ({@code prompt=none}: {@code consent_required}), whose POST (the guard's CSRF checks: a cookie
 * caller's, and the session's CSRF token in the form, which the endpoint declares) records the
 * user's answer: allow remembers the consent and issues the code, deny answers
 * {@code access_denied}. Success carries {@code code}, {@code state}
 * and RFC 9207 {@code iss}. {@code acr_values} naming {@code mfa} sends a user whose session was a
 * password sign-in to step up ({@code /auth/mfa}) and back first ({@code prompt=none}:
 * {@code interaction_required}); the code carries the session's {@code amr} for the tokens.
 * Stateless.
 */
public final class AuthorizationEndpoint implements Endpoint.Handler {

  private static final Problem BAD_CLIENT = new Problem(400, "invalid-authorization-request", "Bad Request",
      "The client or its redirect URI is not registered here, so this request cannot be answered to it.");
  private static final String SIGN_IN = "/auth/login";
  /** Where a signed-in user proves a second factor and comes back (step-up). */
  private static final String STEP_UP = "/auth/mfa";
  /** The consent form's field with the session's CSRF token, which the guard checks. */
  private static final String CSRF_FIELD = "csrf_token";
  private static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");

  /** A request that passed every check, ready for consent and a code. */
  private record Checked(OAuthClient client, URI redirect, State state, List<String> scopes, String challenge,
      String nonce, Set<String> prompt, Long maxAge, AuthLevel acr) {
  }

  private final Issuer issuer;
  private final Clients clients;
  private final AuthorizationCodes codes;
  private final ConsentStore consents;
  private final ConsentPage page = new ConsentPage();
  private final Clock clock;

  public AuthorizationEndpoint(URI issuer, Clients clients, AuthorizationCodes codes, ConsentStore consents,
      Clock clock) {
    this.issuer = new Issuer(issuer.toString());
    this.clients = clients;
    this.codes = codes;
    this.consents = consents;
    this.clock = clock;
  }

  /**
   * {@code /oauth2/authorize} (GET, or POST as a form, OpenID Connect Core §3.1.2.1) and
   * {@code /oauth2/consent} (the consent page's answer).
   */
  public List<Endpoint> endpoints() {
    // An authorization request changes nothing that a GET could not, and relying parties may post it from
    // their own origin: no CSRF check. The consent answer does change something, so it has the guard's.
    Endpoint authorize = Endpoint.at("oauth:authorize", "/oauth2/authorize").auth(AuthKind.SESSION).optional()
        .crossSite()
        .on(HttpMethod.GET, this)
        .on(HttpMethod.POST, request -> request.isForm() ? authorize(request, form(request))
            : Future.failedFuture(new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE)))
        .build();
    Endpoint consent = Endpoint.at("oauth:consent", "/oauth2/consent").auth(AuthKind.SESSION)
        .formCsrf(new FormCsrf.SessionToken(CSRF_FIELD))
        .on(HttpMethod.POST, this::decide).build();
    return List.of(authorize, consent);
  }

  /** GET: the request as the client sent it. */
  @Override
  public Future<Response> handle(Request request) {
    String query = request.rawQuery() == null ? "" : request.rawQuery();
    return authorize(request, URLUtils.parseParameters(query));
  }

  private Future<Response> authorize(Request request, Map<String, List<String>> params) {
    Principal principal = request.principal();
    return check(params, checked -> {
      if (principal == null || Callers.session(principal) == null) {
        return Future.succeededFuture(checked.prompt().contains("none")
            ? error(checked.redirect(), OIDCError.LOGIN_REQUIRED, checked.state())
            : signIn(params, null));
      }
      if (checked.prompt().contains("login")) {
        return Future.succeededFuture(signIn(params, "prompt")); // once: the way back no longer asks
      }
      Instant signedIn = Callers.session(principal).session().createdAt();
      if (checked.maxAge() != null && signedIn.plusSeconds(checked.maxAge()).isBefore(clock.instant())) {
        return Future.succeededFuture(checked.prompt().contains("none")
            ? error(checked.redirect(), OIDCError.LOGIN_REQUIRED, checked.state())
            : signIn(params, null));
      }
      if (checked.acr() != null && !checked.acr().satisfiedBy(Callers.session(principal).session().acr())) {
        // acr_values asked for more than this session's sign-in proves: step up first (OIDC Core §3.1.2.1).
        return Future.succeededFuture(checked.prompt().contains("none")
            ? error(checked.redirect(), OIDCError.INTERACTION_REQUIRED, checked.state())
            : back(STEP_UP, params, null));
      }
      boolean ask = checked.prompt().contains("consent");
      if (checked.client().firstParty() && !ask) {
        return issue(checked, principal);
      }
      return consents.granted(Callers.user(principal).id(), checked.client().clientId()).compose(granted -> {
        if (!ask && granted.isPresent() && granted.get().containsAll(checked.scopes())) {
          return issue(checked, principal);
        }
        if (checked.prompt().contains("none")) {
          return Future.succeededFuture(error(checked.redirect(), OIDCError.CONSENT_REQUIRED, checked.state()));
        }
        return Future.succeededFuture(page.page(checked.client().clientId(), Callers.user(principal).username(),
            checked.scopes(), checked.redirect().toString(), checked.state() == null ? null : checked.state().getValue(),
            checked.challenge(), checked.nonce(), Sessions.csrfToken(Callers.session(principal).token())));
      });
    });
  }

  /**
   * To the sign-in page, and back to this request as a GET (a form post's parameters moved to the
   * query), less {@code without} when given.
   */
  private static Response signIn(Map<String, List<String>> params, String without) {
    return back(SIGN_IN, params, without);
  }

  /** To {@code page}, and back to this request as a GET, less {@code without} when given. */
  private static Response back(String page, Map<String, List<String>> params, String without) {
    StringBuilder back = new StringBuilder("/oauth2/authorize");
    char separator = '?';
    for (Map.Entry<String, List<String>> param : params.entrySet()) {
      if (param.getKey().equals(without)) {
        continue;
      }
      for (String value : param.getValue()) {
        back.append(separator).append(encode(param.getKey())).append('=').append(encode(value));
        separator = '&';
      }
    }
    return Response.redirect(303, page + "?return_to=" + encode(back.toString()));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static Map<String, List<String>> form(Request request) {
    return URLUtils.parseParameters(new String(request.body(), StandardCharsets.UTF_8));
  }

  /** POST from the consent page: the user's decision. */
  private Future<Response> decide(Request request) {
    if (!request.isForm()) {
      return Future.failedFuture(new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE));
    }
    Map<String, List<String>> params = form(request); // its csrf_token was checked by the guard
    return check(params, checked -> {
      if (!"allow".equals(first(params, "decision"))) {
        return Future.succeededFuture(error(checked.redirect(), OAuth2Error.ACCESS_DENIED, checked.state()));
      }
      return consents.grant(Callers.user(request.principal()).id(), checked.client().clientId(), checked.scopes(),
          clock.instant()).compose(v -> issue(checked, request.principal()));
    });
  }

  private Future<Response> check(Map<String, List<String>> params, Function<Checked, Future<Response>> next) {
    // RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once." Until the
    // client and redirect URI are known good, nothing may be sent to the redirect URI.
    if (params.values().stream().anyMatch(values -> values.size() > 1)) {
      return Future.failedFuture(new ProblemException(BAD_CLIENT));
    }
    String clientId = first(params, "client_id");
    String redirectUri = first(params, "redirect_uri");
    if (clientId == null || redirectUri == null) {
      return Future.failedFuture(new ProblemException(BAD_CLIENT));
    }
    return clients.find(clientId).compose(found -> {
      OAuthClient client = found.orElse(null);
      if (client == null || !client.grants().contains(Clients.AUTHORIZATION_CODE)
          || !client.redirectUris().contains(redirectUri)) {
        return Future.failedFuture(new ProblemException(BAD_CLIENT));
      }
      URI redirect = URI.create(redirectUri);
      String stateText = first(params, "state");
      // An empty state has nothing to echo: the same as none (and the SDK refuses an empty State).
      State state = stateText == null || stateText.isEmpty() ? null : new State(stateText);
      if (params.containsKey("request_uri")) {
        return Future.succeededFuture(error(redirect, OAuth2Error.REQUEST_URI_NOT_SUPPORTED, state));
      }
      if (params.containsKey("request")) {
        return Future.succeededFuture(error(redirect, OAuth2Error.REQUEST_NOT_SUPPORTED, state));
      }
      AuthorizationRequest parsed;
      try {
        parsed = AuthorizationRequest.parse(params);
      } catch (ParseException | IllegalArgumentException e) {
        return Future.succeededFuture(error(redirect, OAuth2Error.INVALID_REQUEST, state));
      }
      if (!ResponseType.CODE.equals(parsed.getResponseType())) {
        return Future.succeededFuture(error(redirect, OAuth2Error.UNSUPPORTED_RESPONSE_TYPE, state));
      }
      if (parsed.getCodeChallenge() == null ? client.isPublic()
          : !CodeChallengeMethod.S256.equals(parsed.getCodeChallengeMethod())) {
        return Future.succeededFuture(error(redirect,
            OAuth2Error.INVALID_REQUEST.setDescription("PKCE with S256 is required."), state));
      }
      List<String> scopes = parsed.getScope() == null ? client.scopes() : parsed.getScope().toStringList();
      if (!Scopes.allowedFor(client).containsAll(scopes)) {
        return Future.succeededFuture(error(redirect, OAuth2Error.INVALID_SCOPE, state));
      }
      String challenge = parsed.getCodeChallenge() == null ? null : parsed.getCodeChallenge().getValue();
      String nonce = first(params, "nonce");
      if (nonce != null && (nonce.isEmpty() || nonce.length() > 512)) {
        return Future.succeededFuture(error(redirect, OAuth2Error.INVALID_REQUEST, state));
      }
      Set<String> prompt = prompt(first(params, "prompt"));
      Long maxAge = maxAge(first(params, "max_age"));
      if (prompt == null || maxAge != null && maxAge < 0) {
        return Future.succeededFuture(error(redirect,
            OAuth2Error.INVALID_REQUEST.setDescription("prompt or max_age is not valid."), state));
      }
      return next.apply(new Checked(client, redirect, state, scopes, challenge, nonce, prompt, maxAge,
          acr(first(params, "acr_values"))));
    });
  }

  /** OIDC Core §3.1.2.1 {@code prompt}: known values, {@code none} alone; null when not valid. */
  private static Set<String> prompt(String text) {
    if (text == null) {
      return Set.of();
    }
    Set<String> values = new HashSet<>(Scopes.split(text));
    if (!PROMPTS.containsAll(values) || values.contains("none") && values.size() > 1) {
      return null;
    }
    return values;
  }

  /**
   * The level {@code acr_values} (OpenID Connect Core §3.1.2.1, space-separated, in order of
   * preference) demands: the lowest of the classes it names that Gatehouse knows, since any of them
   * will do; null when it names none of them (voluntary values this server does not issue).
   */
  private static AuthLevel acr(String text) {
    if (text == null) {
      return null;
    }
    AuthLevel lowest = null;
    for (String value : Scopes.split(text)) {
      AuthLevel level = AuthLevel.ofAcr(value);
      if (level != null && (lowest == null || level.compareTo(lowest) < 0)) {
        lowest = level;
      }
    }
    return lowest;
  }

  /** {@code max_age} in seconds; -1 when it is not a number, null when absent. */
  private static Long maxAge(String text) {
    if (text == null) {
      return null;
    }
    try {
      return text.length() > 12 ? -1L : Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1L;
    }
  }

  private Future<Response> issue(Checked checked, Principal principal) {
    Sessions.Active session = Callers.session(principal);
    AuthorizationCode.SignIn signIn = new AuthorizationCode.SignIn(checked.nonce(), session.session().createdAt(),
        session.session().tokenHash(), session.session().amr());
    return codes.issue(checked.client(), Callers.user(principal), checked.redirect().toString(), checked.scopes(),
            checked.challenge(), signIn)
        .map(code -> redirect(new AuthorizationSuccessResponse(checked.redirect(),
            new com.nimbusds.oauth2.sdk.AuthorizationCode(code), null, checked.state(), issuer, null).toURI()));
  }

  private Response error(URI redirect, ErrorObject error, State state) {
    return redirect(new AuthorizationErrorResponse(redirect, error, state, issuer, null).toURI());
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static Response redirect(URI location) {
    return Response.redirect(302, location.toString());
  }
}
