package io.gatehouse.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.gatehouse.identity.Sessions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * One OAuth client of a {@link GatehouseFixture} going through the authorization code grant with
 * PKCE S256, step by step: the authorize query, the authorize request with a bearer session, the
 * answer to the consent page, the code out of the redirect's {@code Location}, and its exchange at
 * the token endpoint. A public client names itself with {@code client_id} in the token request's
 * form; a confidential one authenticates with HTTP Basic. Each step is a plain request, so a test
 * may change what it sends (a tampered query, a wrong verifier, a forged CSRF token) in between.
 */
public final class CodeFlow {

  /** The {@code state} every {@link #query} carries; the redirect back must echo it. */
  public static final String STATE = "s-1";

  private final GatehouseFixture gw;
  private final String clientId;
  private final String redirectUri;
  private final String secret;

  private CodeFlow(GatehouseFixture gw, String clientId, String redirectUri, String secret) {
    this.gw = gw;
    this.clientId = clientId;
    this.redirectUri = redirectUri;
    this.secret = secret;
  }

  /**
   * A public client: its token requests carry {@code client_id} and no credentials. (Also for any
   * client whose token requests a test never sends: only its authorize queries and consent.)
   */
  public static CodeFlow publicClient(GatehouseFixture gw, String clientId, String redirectUri) {
    return new CodeFlow(gw, clientId, redirectUri, null);
  }

  /** A confidential client: its token requests authenticate with HTTP Basic ({@code client_secret_basic}). */
  public static CodeFlow confidentialClient(GatehouseFixture gw, String clientId, String secret, String redirectUri) {
    return new CodeFlow(gw, clientId, redirectUri, secret);
  }

  /** The S256 code challenge of {@code verifier} (RFC 7636 §4.2). */
  public static String challenge(CodeVerifier verifier) {
    return CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue();
  }

  /**
   * The authorize query of this client: {@code response_type=code}, its {@code client_id} and
   * {@code redirect_uri}, {@code state=}{@link #STATE}, the S256 challenge of {@code verifier}
   * (no PKCE parameters when it is null), then {@code extra} as given (for example
   * {@code "&scope=openid"}; empty for none).
   */
  public String query(CodeVerifier verifier, String extra) {
    String query = "response_type=code&client_id=" + enc(clientId) + "&redirect_uri=" + enc(redirectUri)
        + "&state=" + STATE;
    if (verifier != null) {
      query += "&code_challenge=" + challenge(verifier) + "&code_challenge_method=S256";
    }
    return query + extra;
  }

  /** As {@link #query(CodeVerifier, String)} with a fresh verifier, for a request whose code is never exchanged. */
  public String query(String extra) {
    return query(new CodeVerifier(), extra);
  }

  /**
   * {@code GET /oauth2/authorize?<query>}, {@code query} sent as given, with {@code session} as the
   * bearer (none when null). Answers the response unread: a redirect, the consent page, an error.
   */
  public HttpResponse<String> authorize(String query, String session) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(gw.http("/oauth2/authorize?" + query))
        .timeout(Duration.ofSeconds(20)).GET();
    if (session != null) {
      request.header("Authorization", "Bearer " + session);
    }
    return gw.send(request.build());
  }

  /**
   * The consent page's answer: {@code POST /oauth2/consent} of {@code query} with {@code decision}
   * ({@code allow} or {@code deny}) and {@code csrf} as {@code csrf_token}, {@code session} as the bearer.
   */
  public HttpResponse<String> consent(String query, String decision, String csrf, String session) throws Exception {
    return gw.send(HttpRequest.newBuilder(gw.http("/oauth2/consent")).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + session).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(query + "&decision=" + decision + "&csrf_token=" + csrf)).build());
  }

  /** Allows {@code query} on the consent page with the session's own CSRF token ({@link Sessions#csrfToken}). */
  public HttpResponse<String> allow(String query, String session) throws Exception {
    return consent(query, "allow", Sessions.csrfToken(session), session);
  }

  /** {@link #authorize}, and {@link #allow} when that answers the consent page (200); the last response. */
  public HttpResponse<String> authorizeAllowing(String query, String session) throws Exception {
    HttpResponse<String> asked = authorize(query, session);
    return asked.statusCode() == 200 ? allow(query, session) : asked;
  }

  /**
   * {@code POST /oauth2/token} of {@code form} as this client: {@code &client_id=} appended when
   * public, HTTP Basic when confidential.
   */
  public HttpResponse<String> token(String form) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(gw.http("/oauth2/token")).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/x-www-form-urlencoded");
    if (secret == null) {
      form += "&client_id=" + enc(clientId);
    } else {
      request.header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString((enc(clientId) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8)));
    }
    return gw.send(request.POST(HttpRequest.BodyPublishers.ofString(form)).build());
  }

  /** Exchanges {@code code} with {@code verifier} and this client's redirect URI ({@link #token}). */
  public HttpResponse<String> exchange(String code, CodeVerifier verifier) throws Exception {
    return token("grant_type=authorization_code&code=" + enc(code) + "&redirect_uri=" + enc(redirectUri)
        + "&code_verifier=" + verifier.getValue());
  }

  /**
   * The whole flow for a client that needs no consent (or has it already): a fresh verifier, the
   * authorize request of {@code extra} with {@code session}, which must redirect (302) with a code,
   * and its exchange, which must succeed; answers the token response.
   */
  public JsonObject tokens(String session, String extra) throws Exception {
    return tokens(session, extra, false);
  }

  /** As {@link #tokens}, allowing on the consent page when it is shown. */
  public JsonObject tokensAllowing(String session, String extra) throws Exception {
    return tokens(session, extra, true);
  }

  private JsonObject tokens(String session, String extra, boolean consenting) throws Exception {
    CodeVerifier verifier = new CodeVerifier();
    String query = query(verifier, extra);
    HttpResponse<String> granted = consenting ? authorizeAllowing(query, session) : authorize(query, session);
    assertThat(granted.statusCode()).as(granted.body()).isEqualTo(302);
    HttpResponse<String> tokens = exchange(code(granted), verifier);
    assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
    return new JsonObject(tokens.body());
  }

  /** The {@code code} parameter of the response's {@code Location}. */
  public static String code(HttpResponse<String> redirect) {
    return params(location(redirect)).get("code");
  }

  /** The response's {@code Location}; a missing one fails with the status and body. */
  public static String location(HttpResponse<String> response) {
    return response.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
        "no Location: " + response.statusCode() + " " + response.body()));
  }

  /** The query parameters of {@code location} (absolute or relative), decoded; the last of a repeated name. */
  public static Map<String, String> params(String location) {
    Map<String, String> out = new HashMap<>();
    for (String pair : URI.create(location).getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    return out;
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
