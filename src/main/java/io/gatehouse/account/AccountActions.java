package io.gatehouse.account;

import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.RequestBody;
import io.gatehouse.http.Response;
import io.gatehouse.identity.AccountServices;
import io.gatehouse.identity.ApiKeys;
import io.gatehouse.identity.Callers;
import io.gatehouse.identity.InvalidFieldException;
import io.gatehouse.identity.Session;
import io.gatehouse.identity.Sessions;
import io.gatehouse.identity.passkey.Passkey;
import io.gatehouse.identity.passkey.Passkeys;
import io.gatehouse.identity.web.AccountAudit;
import io.gatehouse.identity.web.FreshSignIn;
import io.gatehouse.identity.web.PasswordChange;
import io.gatehouse.oauth.Consents;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The account page's forms, each posted by a session caller with the session's CSRF token (checked
 * by the guard first). Each change is audited and answered with a redirect back to the page and a
 * fixed notice ({@link AccountConsole#NOTICES}), except what is shown once (a new API key, new
 * recovery codes), which is the page itself. A change that an attacker holding the session could use
 * to keep or widen their hold — the password, turning a factor off or replacing the recovery codes,
 * removing a passkey, creating an API key — needs a sign-in within {@link Session#FRESH_SIGN_IN};
 * otherwise nothing changes and the browser is sent to sign in again ({@link FreshSignIn#REQUIRED},
 * which {@link AccountConsole} answers with the login page). What only ends access (a session, a key, a consent) needs no more than the session.
 */
final class AccountActions {

  private static final Pattern SESSION_ID = Pattern.compile("[0-9a-f]{64}");
  /** The lifetimes a key made here may have: a key of the user's own does not live for ever. */
  private static final Set<String> KEY_DAYS = Set.of("30", "90", "365");

  private final AccountServices services;
  private final Passkeys passkeys;
  private final Consents consents;
  private final PasswordChange passwordChange;
  private final AccountOverview overview;
  private final AccountAudit audit;
  private final FreshSignIn fresh;

  AccountActions(AccountServices services, Passkeys passkeys, Consents consents, PasswordChange passwordChange,
      AccountOverview overview) {
    this.services = services;
    this.passkeys = passkeys;
    this.consents = consents;
    this.passwordChange = passwordChange;
    this.overview = overview;
    this.audit = new AccountAudit(services.audit(), services.clock());
    this.fresh = new FreshSignIn(audit, services.clock());
  }

  /** {@code current_password}, {@code new_password}: see {@link PasswordChange}. */
  Future<Response> changePassword(Request request) {
    return form(request, (caller, form) -> passwordChange
        .change(request, caller, form.getOrDefault("current_password", ""), form.getOrDefault("new_password", ""))
        .map(ended -> done("password"))
        .recover(failure -> failure instanceof InvalidFieldException invalid
            ? overview.render(caller, 400, Map.of("error", invalid.field().equals("current_password")
                ? "The current password is not correct." : "The new password " + invalid.reason() + "."))
            : Future.failedFuture(failure)));
  }

  /** {@code id}, {@code name}. */
  Future<Response> renamePasskey(Request request) {
    return form(request, (caller, form) -> {
      String id = matching(form.get("id"), Passkey.CREDENTIAL_ID);
      if (id == null) {
        return Future.succeededFuture(again("not-found"));
      }
      return passkeys.rename(caller.user().id(), id, form.get("name"))
          .map(renamed -> {
            if (!renamed) {
              return again("not-found");
            }
            audit.success(request, "passkey.rename", caller.user().id(), "credential=" + Passkey.shortId(id));
            return done("passkey-renamed");
          })
          .recover(failure -> failure instanceof InvalidFieldException
              ? Future.succeededFuture(again("passkey-name")) : Future.failedFuture(failure));
    });
  }

  /** {@code id}; needs a fresh sign-in. */
  Future<Response> removePasskey(Request request) {
    return fresh(request, "passkey.remove", (caller, form) -> {
      String id = matching(form.get("id"), Passkey.CREDENTIAL_ID);
      if (id == null) {
        return Future.succeededFuture(again("not-found"));
      }
      return passkeys.remove(caller.user().id(), id).map(removed -> {
        if (!removed) {
          return again("not-found");
        }
        audit.success(request, "passkey.remove", caller.user().id(), "credential=" + Passkey.shortId(id));
        return done("passkey-removed");
      });
    });
  }

  /** Turns TOTP off, with its recovery codes; refused while {@code identity.mfa: required}. Needs a fresh sign-in. */
  Future<Response> removeTotp(Request request) {
    return fresh(request, "mfa.remove", (caller, form) -> {
      if (services.identity().mfaRequired()) {
        return Future.succeededFuture(again("mfa-required"));
      }
      return services.secondFactors().reset(caller.user().id()).map(removed -> {
        if (!removed) {
          return again("not-found");
        }
        audit.success(request, "mfa.remove", caller.user().id(), null);
        return done("totp-removed");
      });
    });
  }

  /** Ten new recovery codes, shown once; the old ones stop working. Needs a fresh sign-in. */
  Future<Response> newRecoveryCodes(Request request) {
    return fresh(request, "mfa.recovery_codes", (caller, form) ->
        services.secondFactors().renewRecoveryCodes(caller.user().id()).compose(codes -> {
          if (codes.isEmpty()) {
            return Future.succeededFuture(again("not-found"));
          }
          audit.success(request, "mfa.recovery_codes", caller.user().id(), null);
          return overview.render(caller, 200, Map.of("recoveryCodes", codes.get(),
              "notice", "New recovery codes are made; the old ones no longer work."));
        }));
  }

  /** {@code session}: the SHA-256 of another of the user's sessions, as the page lists them. */
  Future<Response> endSession(Request request) {
    return form(request, (caller, form) -> {
      String hash = matching(form.get("session"), SESSION_ID);
      if (hash == null) {
        return Future.succeededFuture(again("not-found"));
      }
      if (hash.equals(caller.session().tokenHash())) {
        return Future.succeededFuture(again("not-found")); // this browser signs out with "Sign out"
      }
      // A session's user never changes: it is this user's now, it was when it is ended.
      return services.sessions().forUser(caller.user().id()).compose(all -> {
        if (all.stream().noneMatch(session -> session.tokenHash().equals(hash))) {
          return Future.succeededFuture(again("not-found"));
        }
        return services.sessions().revoke(hash).map(ended -> {
          if (!ended) {
            return again("not-found"); // ended meanwhile, by another request
          }
          audit.success(request, "session.end", caller.user().id(), "session=" + hash.substring(0, 16));
          return done("session-ended");
        });
      });
    });
  }

  /**
   * Every other session ends, and with them every refresh token and earlier access token of the
   * user (as a password change does): what a stolen session or token held is gone.
   */
  Future<Response> endOtherSessions(Request request) {
    return form(request, (caller, form) -> services.sessions().accountChanged(caller.user().id(), caller.token())
        .map(ended -> {
          audit.success(request, "session.end_others", caller.user().id(), "sessions_ended=" + ended);
          return done("sessions-ended");
        }));
  }

  /**
   * {@code expires_in_days}: 30, 90 or 365. The key proves the user and carries no roles and no
   * scopes: those are an administrator's to grant. At most {@link ApiKeys#MAX_OWN} live. Shown once.
   * Needs a fresh sign-in.
   */
  Future<Response> createApiKey(Request request) {
    return fresh(request, "apikey.create", (caller, form) -> {
      String days = form.get("expires_in_days");
      if (days == null || !KEY_DAYS.contains(days)) {
        return Future.succeededFuture(again("key-lifetime"));
      }
      return services.apiKeys().createOwn(caller.user().id(), Duration.ofDays(Integer.parseInt(days)))
          .compose(created -> {
            if (created.isEmpty()) {
              return Future.succeededFuture(again("too-many-keys"));
            }
            audit.success(request, "apikey.create", caller.user().id(), "key=" + created.get().key().id());
            return overview.render(caller, 200, Map.of("newKey", created.get().plaintext(),
                "notice", "A new API key is made."));
          });
    });
  }

  /** {@code id}: one of the user's own keys (another's is not found, and stays live). */
  Future<Response> revokeApiKey(Request request) {
    return form(request, (caller, form) -> {
      String id = matching(form.get("id"), ApiKeys.ID);
      if (id == null) {
        return Future.succeededFuture(again("not-found"));
      }
      return services.apiKeys().revokeOwned(caller.user().id(), id).map(revoked -> {
        if (!revoked) {
          return again("not-found");
        }
        audit.success(request, "apikey.revoke", caller.user().id(), "key=" + id);
        return done("key-revoked");
      });
    });
  }

  /** {@code client}: the app asks for consent again next time. */
  Future<Response> withdrawConsent(Request request) {
    return form(request, (caller, form) -> {
      String client = form.get("client");
      if (client == null || client.isEmpty() || client.length() > 200) {
        return Future.succeededFuture(again("not-found"));
      }
      return consents.withdraw(caller.user().id(), client).map(revoked -> {
        if (!revoked) {
          return again("not-found");
        }
        audit.success(request, "consent.withdraw", caller.user().id(), "client=" + client);
        return done("consent-withdrawn");
      });
    });
  }

  /** The session caller and the form, to {@code action}; a body that is not a form is 415. */
  private Future<Response> form(Request request,
      BiFunction<Sessions.Active, Map<String, String>, Future<Response>> action) {
    if (!request.isForm()) {
      return Future.failedFuture(new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE));
    }
    return action.apply(Callers.session(request.principal()), RequestBody.form(request.body()));
  }

  /** As {@link #form}, for a change that needs a sign-in within {@link Session#FRESH_SIGN_IN}. */
  private Future<Response> fresh(Request request, String event,
      BiFunction<Sessions.Active, Map<String, String>, Future<Response>> action) {
    return form(request, (caller, form) -> {
      if (fresh.stale(request, event, caller)) {
        return Future.failedFuture(new ProblemException(FreshSignIn.REQUIRED));
      }
      return action.apply(caller, form);
    });
  }

  /** {@code value} when it has the shape of an id, else null: nothing can have it. */
  private static String matching(String value, Pattern id) {
    return value != null && id.matcher(value).matches() ? value : null;
  }

  private static Response done(String notice) {
    return Response.redirect(303, AccountConsole.PATH + "?done=" + notice);
  }

  private static Response again(String error) {
    return Response.redirect(303, AccountConsole.PATH + "?error=" + error);
  }
}
