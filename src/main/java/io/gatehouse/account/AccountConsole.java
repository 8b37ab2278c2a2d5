package io.gatehouse.account;

import io.gatehouse.config.AuthKind;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.FormCsrf;
import io.gatehouse.http.Problem;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.gatehouse.identity.AccountServices;
import io.gatehouse.identity.ApiKeys;
import io.gatehouse.identity.Callers;
import io.gatehouse.identity.Sessions;
import io.gatehouse.identity.passkey.Passkeys;
import io.gatehouse.identity.web.PasswordChange;
import io.gatehouse.oauth.Consents;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The account pages: {@code GET /account} shows what the signed-in user's account holds (password,
 * two-step sign-in, passkeys, sessions, API keys, apps allowed), and its forms post to
 * {@code /account/…} ({@link AccountActions}). A browser without a session is sent to sign in and
 * back. The forms carry the session's CSRF token, checked by the guard; a refused form, an ended
 * session or a change that needs a fresh sign-in come back as the login page or this page with a
 * fixed message, never as JSON. Built at the composition root.
 */
public final class AccountConsole {

  public static final String PATH = "/account";
  private static final String CSRF_FIELD = "csrf_token";
  private static final String SIGN_IN = "/auth/login?return_to=%2Faccount";

  /** What {@code ?done=} may show: fixed text, so a link cannot put words on the page. */
  static final Map<String, String> NOTICES = Map.of(
      "password", "Your password is changed. You are signed out everywhere else.",
      "passkey-added", "The passkey is added.",
      "passkey-renamed", "The passkey is renamed.",
      "passkey-removed", "The passkey is removed.",
      "totp-removed", "Two-step sign-in is off.",
      "session-ended", "That session is signed out.",
      "sessions-ended", "You are signed out everywhere else.",
      "key-revoked", "The API key is revoked.",
      "consent-withdrawn", "The app's access is withdrawn; it will ask you again.");
  /** What {@code ?error=} may show. */
  static final Map<String, String> ERRORS = Map.of(
      "not-found", "That is no longer there.",
      "passkey-name", "A passkey's name is 1 to 64 letters, digits or spaces.",
      "mfa-required", "Two-step sign-in is required here; it cannot be turned off.",
      "key-lifetime", "Choose how long the key lasts.",
      "too-many-keys", "You have " + ApiKeys.MAX_OWN + " live API keys; revoke one first.",
      "expired", "The page was out of date. Please try again.",
      "throttled", "Too many wrong passwords. Please wait a few minutes and try again.",
      "failed", "That change could not be made. Please try again.");

  private final AccountOverview overview;
  private final AccountActions actions;

  /**
   * @param passkeys the users' passkeys as stored (listed and removable even while passkeys are off)
   * @param passkeysEnabled whether the page offers "Add a passkey" ({@code passkeys.enabled})
   */
  public AccountConsole(AccountServices services, Passkeys passkeys, boolean passkeysEnabled, Consents consents,
      PasswordChange passwordChange) {
    this.overview = new AccountOverview(services, passkeys, passkeysEnabled, consents);
    this.actions = new AccountActions(services, passkeys, consents, passwordChange, overview);
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.at("account:page", PATH).auth(AuthKind.SESSION).optional()
            .problems((problem, request) -> problem.status() == 401 ? Response.redirect(303, SIGN_IN) : null)
            .on(HttpMethod.GET, this::show).build(),
        form("account:password", "/password", actions::changePassword),
        form("account:passkey-rename", "/passkeys/rename", actions::renamePasskey),
        form("account:passkey-remove", "/passkeys/remove", actions::removePasskey),
        form("account:totp-remove", "/totp/remove", actions::removeTotp),
        form("account:recovery-codes", "/recovery-codes", actions::newRecoveryCodes),
        form("account:session-end", "/sessions/end", actions::endSession),
        form("account:sessions-end-others", "/sessions/end-others", actions::endOtherSessions),
        form("account:api-key-create", "/api-keys", actions::createApiKey),
        form("account:api-key-revoke", "/api-keys/revoke", actions::revokeApiKey),
        form("account:consent-withdraw", "/consents/withdraw", actions::withdrawConsent));
  }

  private Endpoint form(String id, String path, Endpoint.Handler action) {
    return Endpoint.at(id, PATH + path).auth(AuthKind.SESSION).formCsrf(new FormCsrf.SessionToken(CSRF_FIELD))
        .problems(this::problem).on(HttpMethod.POST, action).build();
  }

  /** The page; a browser without a session signs in first. */
  private Future<Response> show(Request request) {
    Sessions.Active caller = request.principal() == null ? null : Callers.session(request.principal());
    if (caller == null) {
      return Future.succeededFuture(Response.redirect(303, SIGN_IN));
    }
    Map<String, Object> shown = new HashMap<>();
    String notice = request.queryParam("done");
    if (notice != null && NOTICES.containsKey(notice)) {
      shown.put("notice", NOTICES.get(notice));
    }
    String error = request.queryParam("error");
    if (error != null && ERRORS.containsKey(error)) {
      shown.put("error", ERRORS.get(error));
    }
    return overview.render(caller, 200, shown);
  }

  /**
   * A form's problem as a browser should see it: no or an ended session, or a change that needs a
   * fresh sign-in, to the login page and back; anything else back to the page with a fixed message.
   */
  private Response problem(Problem problem, Request request) {
    if (problem.status() == 401) {
      return Response.redirect(303, SIGN_IN);
    }
    String error = problem.slug().equals(Problem.CSRF_REJECTED.slug()) ? "expired"
        : problem.status() == 429 ? "throttled" : "failed";
    return Response.redirect(303, PATH + "?error=" + error);
  }
}
