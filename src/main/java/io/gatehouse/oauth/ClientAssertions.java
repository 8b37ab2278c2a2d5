package io.gatehouse.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.auth.verifier.ClientAuthenticationVerifier;
import com.nimbusds.oauth2.sdk.auth.verifier.ClientCredentialsSelector;
import com.nimbusds.oauth2.sdk.auth.verifier.Context;
import com.nimbusds.oauth2.sdk.auth.verifier.InvalidClientException;
import com.nimbusds.oauth2.sdk.auth.verifier.JWTAudienceCheck;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.vertx.core.Future;
import java.net.URI;
import java.net.URL;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * {@code private_key_jwt} client authentication (RFC 7523 §2.2, §3; OIDC Core §9), verified by the
 * Nimbus SDK's {@link ClientAuthenticationVerifier}: the assertion signed by a key of the client's
 * registered JWK set, {@code iss} = {@code sub} = the client, unexpired. On top of the SDK:
 *
 * <ul>
 *   <li>{@code aud} is one value, this issuer's identifier or the URL of the endpoint the assertion
 *       was sent to: an assertion meant for another endpoint or server, or naming several, is
 *       refused (the 2025 audience-injection advisory against multi-valued and lax audiences);</li>
 *   <li>{@code exp} at most {@value #MAX_LIFETIME_MINUTES} minutes ahead, and a {@code jti} required;</li>
 *   <li>each assertion works once: its {@code jti} is spent in the shared store
 *       ({@link SpentAssertionStore}) in one atomic step, so a replay fails on any instance and after
 *       a restart, until the assertion would have expired.</li>
 * </ul>
 *
 * Thread-safe.
 */
final class ClientAssertions {

  static final long MAX_LIFETIME_MINUTES = 5;

  private final String issuer;
  private final SpentAssertionStore spent;
  private final ClientAuthenticationVerifier<OAuthClient> verifier;
  private final Clock clock;

  /** @param issuer this server's issuer; an assertion names it or the endpoint it was sent to as audience */
  ClientAssertions(URI issuer, SpentAssertionStore spent, Clock clock) {
    this.issuer = issuer.toString();
    this.spent = spent;
    this.clock = clock;
    Set<Audience> audiences = Set.of(new Audience(this.issuer), new Audience(this.issuer + "/oauth2/token"),
        new Audience(this.issuer + "/oauth2/introspect"), new Audience(this.issuer + "/oauth2/revoke"));
    this.verifier = new ClientAuthenticationVerifier<>(new RegisteredKeys(), audiences, JWTAudienceCheck.LEGACY);
  }

  /**
   * Whether {@code assertion}, sent to {@code endpoint}, proves {@code client} (already looked up by
   * the assertion's client id); true spends it.
   */
  Future<Boolean> verify(PrivateKeyJWT assertion, OAuthClient client, URL endpoint) {
    if (client.jwks() == null) {
      return Future.succeededFuture(false);
    }
    JWTAuthenticationClaimsSet claims = assertion.getJWTAuthenticationClaimsSet();
    List<Audience> audience = claims.getAudience();
    if (audience == null || audience.size() != 1 || !(audience.get(0).getValue().equals(issuer)
        || audience.get(0).getValue().equals(endpoint.toString()))) {
      return Future.succeededFuture(false);
    }
    Date expires = claims.getExpirationTime();
    if (expires == null || claims.getJWTID() == null
        || expires.toInstant().isAfter(clock.instant().plus(Duration.ofMinutes(MAX_LIFETIME_MINUTES)))) {
      return Future.succeededFuture(false);
    }
    try {
      Context<OAuthClient> context = new Context<>();
      context.set(client);
      verifier.verify(assertion, null, context);
    } catch (InvalidClientException | JOSEException e) {
      return Future.succeededFuture(false);
    }
    return spent.spend(client.clientId() + '\n' + claims.getJWTID().getValue(), expires.toInstant());
  }

  /** The client's registered public keys that match the assertion's header. */
  private static final class RegisteredKeys implements ClientCredentialsSelector<OAuthClient> {

    @Override
    public List<Secret> selectClientSecrets(ClientID clientId, ClientAuthenticationMethod method,
        Context<OAuthClient> context) throws InvalidClientException {
      throw InvalidClientException.BAD_SECRET;
    }

    @Override
    public List<? extends PublicKey> selectPublicKeys(ClientID clientId, ClientAuthenticationMethod method,
        JWSHeader header, boolean forceRefresh, Context<OAuthClient> context) throws InvalidClientException {
      OAuthClient client = context.get();
      if (client == null || !client.clientId().equals(clientId.getValue())) {
        throw InvalidClientException.BAD_ID;
      }
      List<PublicKey> keys = new ArrayList<>();
      try {
        for (JWK key : new JWKSelector(JWKMatcher.forJWSHeader(header)).select(JWKSet.parse(client.jwks()))) {
          if (key instanceof AsymmetricJWK asymmetric) {
            keys.add(asymmetric.toPublicKey());
          }
        }
      } catch (ParseException | JOSEException e) {
        throw InvalidClientException.NO_MATCHING_JWK;
      }
      return keys;
    }
  }
}
