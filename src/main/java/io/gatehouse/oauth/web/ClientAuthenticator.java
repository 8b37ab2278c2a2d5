package io.gatehouse.oauth.web;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import io.gatehouse.config.AuthKind;
import io.gatehouse.config.Cidr;
import io.gatehouse.guard.Authenticator;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.Principal;
import io.gatehouse.http.ProblemException;
import io.gatehouse.oauth.Clients;
import io.gatehouse.oauth.FirstPartyClient;
import io.gatehouse.oauth.OAuthClient;
import io.gatehouse.oauth.OAuthError;
import io.gatehouse.observability.AuditEvent;
import io.gatehouse.observability.AuditLog;
import io.gatehouse.ratelimit.FailureCounter;
import io.gatehouse.ratelimit.FailureThrottle;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * OAuth client authentication (RFC 6749 §2.3) as the guard's authenticators of the token,
 * introspection and revocation endpoints, which read the body before the guard for it:
 * {@link #confidential()} proves a client by {@code client_secret_basic}, {@code client_secret_post}
 * or {@code private_key_jwt} (RFC 7523); {@link #publicClients()} admits a public client, the
 * built-in {@code gatehouse} one included, that names itself with {@code client_id} and has nothing
 * to prove at this step. The admitted {@link Principal} has the client id as subject and client, and
 * the client as its account ({@link #client(Principal)} reads it back).
 *
 * <p>Failed authentications are slowed down per client id and per address by a
 * {@link FailureCounter} each (in this process, or in Redis shared by every instance; the check and
 * the count of one attempt over both are one atomic step, so parallel guesses are held back like
 * sequential ones): the free failures, then 1 s doubling up to 5 minutes (client) or 15 minutes
 * (address), forgotten after an hour without one. A client or address that must wait is answered
 * 429 with {@code Retry-After} and the RFC 8628 {@code slow_down} error before its credentials are
 * checked. Every throttle decision is audited: a refusal to the audit stream (anyone can cause those
 * in bulk), a delay that starts to the store as well. Refusals are {@link OAuthError}s: more than one
 * authentication method or a repeated parameter is {@code invalid_request} (§2.3, §3.2), anything
 * presented and not proved {@code invalid_client}. Thread-safe.
 */
public final class ClientAuthenticator {

  private static final ErrorObject SLOW_DOWN = new ErrorObject("slow_down",
      "Too many failed client authentications; retry after the time in Retry-After.", 429);
  private static final int MAX_ID_KEY = 128;

  private final Clients clients;
  private final URI issuer;
  private final FailureCounter.Factory counters;
  private final FailureCounter byClient;
  private final FailureCounter byAddress;
  private final AuditLog audit;
  private final Clock clock;

  /**
   * @param issuer this server's issuer: the endpoint URL an assertion may name is the issuer and the request's path
   * @param counters where failures are counted: in this process, or in Redis for every instance
   * @param freeFromAddress failures from one address before its delays start ({@code rate_limits.token_failures.address})
   * @param freeForClient failures for one client id before its delays start ({@code rate_limits.token_failures.client})
   */
  public ClientAuthenticator(Clients clients, URI issuer, AuditLog audit, Clock clock, FailureCounter.Factory counters,
      int freeFromAddress, int freeForClient) {
    this.clients = clients;
    this.issuer = issuer;
    this.audit = audit;
    this.clock = clock;
    this.counters = counters;
    this.byClient = counters.create("client", new FailureThrottle.Policy(freeForClient, Duration.ofSeconds(1),
        Duration.ofMinutes(5), Duration.ofHours(1)));
    this.byAddress = counters.create("client-address", new FailureThrottle.Policy(freeFromAddress,
        Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofHours(1)));
  }

  /** {@link AuthKind#OAUTH_CLIENT}: a confidential client proving itself; none when the request offers no proof. */
  public Authenticator confidential() {
    return this::confidential;
  }

  /** {@link AuthKind#OAUTH_PUBLIC_CLIENT}: a public client named by {@code client_id} in a request offering no proof. */
  public Authenticator publicClients() {
    return this::named;
  }

  /** The client an OAuth client principal stands for. */
  static OAuthClient client(Principal principal) {
    return (OAuthClient) principal.account();
  }

  private static Principal principal(OAuthClient client, AuthKind kind) {
    return new Principal(client.clientId(), List.of(), List.of(), client.clientId(), kind, false, client);
  }

  private Future<Principal> confidential(Exchange exchange) {
    URL endpoint = OAuthHttp.endpoint(issuer, exchange.path());
    Presented presented;
    try {
      presented = Presented.of(exchange, endpoint);
    } catch (OAuthError refused) {
      return Future.failedFuture(refused);
    }
    if (presented.authentication() == null) {
      return Future.succeededFuture();
    }
    ClientAuthentication authentication = presented.authentication();
    String address = Cidr.hostKey(exchange.clientAddress());
    String clientId = clientKey(authentication);
    List<FailureCounter.Attempt> attempts = List.of(new FailureCounter.Attempt(byAddress, address),
        new FailureCounter.Attempt(byClient, clientId));
    return counters.admit(attempts).compose(decided -> {
      if (!decided.admitted()) {
        audit.log(event(exchange, "oauth.client_auth.throttled", "refused",
            "scope=" + (decided.waiting() == 0 ? "address" : "client") + " retry_after=" + decided.waitSeconds()));
        return Future.failedFuture(new ProblemException(OAuthErrors.problem(SLOW_DOWN, null),
            decided.waitSeconds()));
      }
      long addressDelay = decided.delays().get(0);
      long clientDelay = decided.delays().get(1);
      return clients.authenticate(authentication, endpoint).compose(client -> {
        if (client.isPresent()) {
          return Future.all(byAddress.forgive(address), byClient.succeeded(clientId))
              .map(done -> principal(client.get(), AuthKind.OAUTH_CLIENT));
        }
        if (addressDelay > 0 || clientDelay > 0) {
          audit.record(event(exchange, "oauth.client_auth.throttle", "delayed",
              "scope=" + (clientDelay >= addressDelay ? "client" : "address") + " delay="
                  + Math.max(addressDelay, clientDelay)));
        }
        return Future.failedFuture(invalidClient(authentication));
      });
    });
  }

  private Future<Principal> named(Exchange exchange) {
    Presented presented;
    try {
      presented = Presented.of(exchange, OAuthHttp.endpoint(issuer, exchange.path()));
    } catch (OAuthError refused) {
      return Future.failedFuture(refused);
    }
    if (presented.authentication() != null || presented.clientId() == null) {
      return Future.succeededFuture(); // a confidential client's proof is not this authenticator's
    }
    if (presented.clientId().equals(FirstPartyClient.CLIENT_ID)) {
      return Future.succeededFuture(principal(FirstPartyClient.CLIENT, AuthKind.OAUTH_PUBLIC_CLIENT));
    }
    return clients.find(presented.clientId()).compose(found -> found.filter(OAuthClient::isPublic)
        .map(client -> Future.succeededFuture(principal(client, AuthKind.OAUTH_PUBLIC_CLIENT)))
        .orElseGet(() -> Future.failedFuture(invalidClient(null))));
  }

  /** RFC 6749 §5.2: 401 and a challenge naming the scheme the client tried (Basic by default). */
  private static OAuthError invalidClient(ClientAuthentication tried) {
    return new OAuthError(OAuth2Error.INVALID_CLIENT, tried == null || tried instanceof ClientSecretBasic
        ? OAuthErrors.BASIC_CHALLENGE : null);
  }

  /** Forgets what no longer counts in this process. Walks every key: off the event loops. */
  public void sweep() {
    byClient.sweep();
    byAddress.sweep();
  }

  private AuditEvent event(Exchange exchange, String event, String outcome, String detail) {
    return new AuditEvent(clock.instant(), event, outcome, null, exchange.clientAddress(), exchange.requestId(),
        detail);
  }

  private static String clientKey(ClientAuthentication authentication) {
    String id = authentication.getClientID().getValue();
    return id.length() > MAX_ID_KEY ? id.substring(0, MAX_ID_KEY) : id;
  }

  /**
   * What a request offers to identify its client: a proof, or a bare {@code client_id}, or neither.
   *
   * @param authentication the client authentication, or null for none
   * @param clientId the {@code client_id} parameter, or null
   */
  private record Presented(ClientAuthentication authentication, String clientId) {

    /** @throws OAuthError {@code invalid_request} or {@code invalid_client} for a malformed proof */
    static Presented of(Exchange exchange, URL endpoint) {
      HTTPRequest http = OAuthHttp.request(endpoint, exchange.header(HttpHeaderNames.CONTENT_TYPE),
          exchange.header(HttpHeaderNames.AUTHORIZATION), exchange.gatheredBody());
      Map<String, List<String>> parameters = URLUtils.parseParameters(http.getBody());
      OAuthHttp.refuseRepeated(parameters);
      String authorization = http.getAuthorization();
      int methods = (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6) ? 1 : 0)
          + (parameters.containsKey("client_secret") ? 1 : 0) + (parameters.containsKey("client_assertion") ? 1 : 0);
      if (methods > 1) {
        // RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request".
        throw new OAuthError(OAuth2Error.INVALID_REQUEST.setDescription(
            "More than one client authentication method was used."));
      }
      List<String> assertion = parameters.get("client_assertion");
      if (assertion != null) {
        try {
          SignedJWT.parse(assertion.get(0)); // an unsigned (alg: none) assertion fails authentication
        } catch (java.text.ParseException e) {
          throw new OAuthError(OAuth2Error.INVALID_CLIENT);
        }
      }
      ClientAuthentication authentication;
      try {
        authentication = ClientAuthentication.parse(http);
      } catch (ParseException e) {
        throw OAuthHttp.malformed(e);
      }
      List<String> clientId = parameters.get("client_id");
      return new Presented(authentication, clientId == null || clientId.isEmpty() ? null : clientId.get(0));
    }
  }
}
