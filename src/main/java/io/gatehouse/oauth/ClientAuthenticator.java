package io.gatehouse.oauth;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import io.gatehouse.config.Cidr;
import io.gatehouse.http.Request;
import io.gatehouse.http.Response;
import io.gatehouse.observability.AuditEvent;
import io.gatehouse.observability.AuditLog;
import io.gatehouse.ratelimit.FailureCounter;
import io.gatehouse.ratelimit.FailureThrottle;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Client authentication at the token, introspection and revocation endpoints (RFC 6749 §2.3),
 * with failures slowed down per client id and per address by a {@link FailureCounter} each (in
 * this process, or in Redis shared by every instance; the check and the count of one attempt over
 * both are one atomic step, so parallel guesses are held back like sequential ones): the
 * free failures, then 1 s doubling up to 5 minutes (client) or 15 minutes (address), forgotten
 * after an hour without one. A client or address that must wait is answered 429 with
 * {@code Retry-After} and the RFC 8628 {@code slow_down} error before its credentials are checked.
 * Every throttle decision is audited: a refusal to the audit stream (anyone can cause those in
 * bulk), a delay that starts to the store as well. Thread-safe.
 */
public final class ClientAuthenticator {

  private static final ErrorObject SLOW_DOWN = new ErrorObject("slow_down",
      "Too many failed client authentications; retry after the time in Retry-After.", 429);
  private static final int MAX_ID_KEY = 128;

  private final Clients clients;
  private final FailureCounter.Factory counters;
  private final FailureCounter byClient;
  private final FailureCounter byAddress;
  private final AuditLog audit;
  private final Clock clock;

  /**
   * @param counters where failures are counted: in this process, or in Redis for every instance
   * @param freeFromAddress failures from one address before its delays start ({@code rate_limits.token_failures.address})
   * @param freeForClient failures for one client id before its delays start ({@code rate_limits.token_failures.client})
   */
  public ClientAuthenticator(Clients clients, AuditLog audit, Clock clock, FailureCounter.Factory counters,
      int freeFromAddress, int freeForClient) {
    this.clients = clients;
    this.audit = audit;
    this.clock = clock;
    this.counters = counters;
    this.byClient = counters.create("client", new FailureThrottle.Policy(freeForClient, Duration.ofSeconds(1),
        Duration.ofMinutes(5), Duration.ofHours(1)));
    this.byAddress = counters.create("client-address", new FailureThrottle.Policy(freeFromAddress,
        Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofHours(1)));
  }

  /** The registered clients it authenticates against. */
  public Clients clients() {
    return clients;
  }

  /** Hands the client {@code authentication} proves to {@code next}; else {@code invalid_client}, or 429 while throttled. */
  Future<Response> authenticated(Request request, URL endpoint, ClientAuthentication authentication,
      Function<OAuthClient, Future<Response>> next) {
    String address = Cidr.hostKey(request.clientAddress());
    String clientId = clientKey(authentication);
    List<FailureCounter.Attempt> attempts = clientId == null ? List.of(new FailureCounter.Attempt(byAddress, address))
        : List.of(new FailureCounter.Attempt(byAddress, address), new FailureCounter.Attempt(byClient, clientId));
    return counters.admit(attempts).compose(decided -> {
      if (!decided.admitted()) {
        audit.log(event(request, "oauth.client_auth.throttled", "refused",
            "scope=" + (decided.waiting() == 0 ? "address" : "client") + " retry_after=" + decided.waitSeconds()));
        return Future.succeededFuture(
            OAuthHttp.error(SLOW_DOWN).with(HttpHeaderNames.RETRY_AFTER, Long.toString(decided.waitSeconds())));
      }
      long addressDelay = decided.delays().get(0);
      long clientDelay = clientId == null ? 0 : decided.delays().get(1);
      return clients.authenticate(authentication, endpoint).compose(client -> {
        if (client.isPresent()) {
          Future<Void> reset = clientId == null ? Future.succeededFuture() : byClient.succeeded(clientId);
          return Future.all(byAddress.forgive(address), reset).compose(done -> next.apply(client.get()));
        }
        if (addressDelay > 0 || clientDelay > 0) {
          audit.record(event(request, "oauth.client_auth.throttle", "delayed",
              "scope=" + (clientDelay >= addressDelay ? "client" : "address") + " delay="
                  + Math.max(addressDelay, clientDelay)));
        }
        return Future.succeededFuture(OAuthHttp.invalidClient(authentication));
      });
    });
  }

  /** Forgets what no longer counts in this process. Walks every key: off the event loops. */
  public void sweep() {
    byClient.sweep();
    byAddress.sweep();
  }

  private AuditEvent event(Request request, String event, String outcome, String detail) {
    return new AuditEvent(clock.instant(), event, outcome, null, request.clientAddress(), request.requestId(), detail);
  }

  private static String clientKey(ClientAuthentication authentication) {
    if (authentication == null || authentication.getClientID() == null) {
      return null;
    }
    String id = authentication.getClientID().getValue();
    return id.length() > MAX_ID_KEY ? id.substring(0, MAX_ID_KEY) : id;
  }
}
