package io.gatehouse.oauth.web;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.gatehouse.config.AuthKind;
import io.gatehouse.guard.SignatureKeys;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Problem;
import io.gatehouse.http.ProblemException;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.gatehouse.identity.Sessions;
import io.gatehouse.oauth.Clients;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /oauth2/logout} (OpenID Connect RP-Initiated Logout 1.0): a client sends the user
 * here with an {@code id_token_hint} it received; the hint must be an id token Gatehouse signed
 * (it may have expired), and it names the session to end ({@code sid}), so no cookie is read and a
 * foreign page cannot log anyone out without such a token. The user then goes to
 * {@code post_logout_redirect_uri} when it is one of the client's registered redirect URIs (with
 * {@code state}), else to the sign-in page. Stateless.
 */
public final class LogoutEndpoint implements Endpoint.Handler {

  private static final Problem BAD_HINT = new Problem(400, "invalid-logout-request", "Bad Request",
      "A logout request needs an id_token_hint issued here.");

  private final Clients clients;
  private final Sessions sessions;
  private final DefaultJWTProcessor<SecurityContext> hints = new DefaultJWTProcessor<>();

  public LogoutEndpoint(URI issuer, Supplier<JWKSet> keys, Clients clients, Sessions sessions) {
    this.clients = clients;
    this.sessions = sessions;
    String iss = issuer.toString();
    hints.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT)); // never an access token
    hints.setJWSVerifierFactory(SignatureKeys.verifiers());
    hints.setJWSKeySelector(SignatureKeys.selector(Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256, JWSAlgorithm.EdDSA),
        keys));
    // Only iss and the id token's claims, not exp: an expired id token is still a fine hint.
    hints.setJWTClaimsSetVerifier((claims, context) -> {
      if (!iss.equals(claims.getIssuer()) || claims.getSubject() == null || claims.getAudience().isEmpty()) {
        throw new BadJWTException("not an id token of this issuer");
      }
    });
  }

  public Endpoint endpoint() {
    return Endpoint.at("oauth:logout", "/oauth2/logout").auth(AuthKind.NONE).on(HttpMethod.GET, this).build();
  }

  @Override
  public Future<Response> handle(Request request) {
    JWTClaimsSet hint;
    try {
      hint = verify(request.queryParam("id_token_hint"));
    } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
      return Future.failedFuture(new ProblemException(BAD_HINT));
    }
    String clientId = hint.getAudience().isEmpty() ? null : hint.getAudience().get(0);
    String sid = (String) hint.getClaim("sid");
    Future<Boolean> ended = sid == null ? Future.succeededFuture(false) : sessions.revoke(sid);
    String requested = request.queryParam("post_logout_redirect_uri");
    String state = request.queryParam("state");
    return ended.compose(done -> clientId == null ? Future.succeededFuture(null) : clients.find(clientId))
        .map(client -> {
          boolean allowed = requested != null && client != null && client.isPresent()
              && client.get().redirectUris().contains(requested);
          String location = allowed ? withState(requested, state) : "/auth/login";
          return Response.redirect(302, location);
        });
  }

  /** An id token of this issuer, signed by one of its keys; expiry is not held against a hint. */
  private JWTClaimsSet verify(String token) throws ParseException, BadJOSEException, JOSEException {
    if (token == null) {
      throw new IllegalArgumentException("no hint");
    }
    return hints.process(token, null);
  }

  private static String withState(String uri, String state) {
    if (state == null) {
      return uri;
    }
    return uri + (uri.contains("?") ? "&" : "?") + "state=" + URLEncoder.encode(state, StandardCharsets.UTF_8);
  }
}
