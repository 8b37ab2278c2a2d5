package io.gatehouse.soak;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The authorization code grant with PKCE as a browser and an app do it: authorize without a
 * session (sent to the login page), the login form with its CSRF token, authorize again with the
 * session cookie, the code exchanged with its verifier, the token used; then the code presented
 * again, which must revoke what it bought (RFC 6749 §4.1.2).
 */
final class CodeFlowScenario implements Scenario {

  private static final Pattern HIDDEN = Pattern.compile("name=\"csrf_token\" value=\"([^\"]*)\"");

  @Override
  public void run(SoakContext soak) {
    UserPool.PoolUser user = soak.pool.any();
    CodeVerifier verifier = new CodeVerifier();
    String state = UUID.randomUUID().toString();
    String authorize = "/oauth2/authorize?response_type=code&client_id=" + SoakContext.WEB_CLIENT
        + "&redirect_uri=" + enc(SoakContext.REDIRECT_URI) + "&scope=openid&state=" + state
        + "&code_challenge=" + CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue()
        + "&code_challenge_method=S256";
    Answer toLogin = soak.client.send("authorize (signed out)", soak.request(authorize).GET().build());
    if (!soak.client.expect(toLogin, 303)) {
      return;
    }
    Answer page = soak.client.send("login page", soak.request(toLogin.header("location").orElseThrow()).GET().build());
    if (!soak.client.expect(page, 200)) {
      return;
    }
    String csrfCookie = cookie(page, "gh_csrf");
    Matcher hidden = HIDDEN.matcher(page.body());
    if (csrfCookie == null || !hidden.find()) {
      soak.client.failed("login page without its CSRF token");
      return;
    }
    String returnTo = authorize;
    String form = "username=" + enc(user.username()) + "&password=" + enc(user.password()) + "&csrf_token="
        + enc(hidden.group(1)) + "&return_to=" + enc(returnTo);
    Answer login = soak.client.send("login form", soak.request("/auth/login")
        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "gh_csrf=" + csrfCookie)
        .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    if (!soak.client.expect(login, 303)) {
      return;
    }
    String session = cookie(login, "gh_session");
    Answer granted = soak.client.send("authorize (signed in)", soak.request(login.header("location").orElseThrow())
        .header("Cookie", "gh_session=" + session).GET().build());
    if (!soak.client.expect(granted, 302)) {
      return;
    }
    URI callback = URI.create(granted.header("location").orElseThrow());
    String code = param(callback, "code");
    if (!state.equals(param(callback, "state")) || code == null) {
      soak.client.failed("authorization answer without its code or state");
      return;
    }
    String exchange = "grant_type=authorization_code&client_id=" + SoakContext.WEB_CLIENT + "&code=" + enc(code)
        + "&redirect_uri=" + enc(SoakContext.REDIRECT_URI) + "&code_verifier=" + verifier.getValue();
    Answer tokens = soak.client.send("code exchange", form(soak, exchange));
    if (!soak.client.expect(tokens, 200)) {
      return;
    }
    String accessToken = new JsonObject(tokens.body()).getString("access_token");
    Answer call = soak.client.send("jwt route (code flow)", soak.proxied("/jwt/echo")
        .header("Authorization", "Bearer " + accessToken).GET().build());
    if (soak.client.expect(call, 200)) {
      EchoCheck.check(soak.promises, call, SoakContext.sha256(new byte[0]), user.id());
    }
    Answer replay = soak.client.send("code replayed", form(soak, exchange));
    if (soak.client.expect(replay, 400)) {
      long acknowledged = System.nanoTime();
      soak.ledger.revoked(new Ledger.Revoked("replayed code's access token", "/jwt/echo", "Authorization",
          "Bearer " + accessToken));
      soak.refusals.expect(BrokenPromise.REVOKED_TOKEN_ADMITTED, "the access token of a replayed code",
          acknowledged, List.of(new RefusalAfterChange.Probe("/jwt/echo", "Authorization", "Bearer " + accessToken)));
    }
  }

  private static HttpRequest form(SoakContext soak, String body) {
    return soak.request("/oauth2/token").header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  static String cookie(Answer answer, String name) {
    for (String header : answer.headers().allValues("set-cookie")) {
      if (header.startsWith(name + "=")) {
        int end = header.indexOf(';');
        return header.substring(name.length() + 1, end < 0 ? header.length() : end);
      }
    }
    return null;
  }

  private static String param(URI uri, String name) {
    if (uri.getRawQuery() == null) {
      return null;
    }
    for (String pair : uri.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv[0].equals(name) && kv.length == 2) {
        return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
