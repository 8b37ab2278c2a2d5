package io.gatehouse.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.auth.verifier.ClientAuthenticationVerifier;
import com.nimbusds.oauth2.sdk.auth.verifier.ClientCredentialsSelector;
import com.nimbusds.oauth2.sdk.auth.verifier.Context;
import com.nimbusds.oauth2.sdk.auth.verifier.ExpendedJTIChecker;
import com.nimbusds.oauth2.sdk.auth.verifier.InvalidClientException;
import com.nimbusds.oauth2.sdk.auth.verifier.JWTAudienceCheck;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import java.net.URI;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code private_key_jwt} client authentication (RFC 7523 §2.2, OIDC Core §9), verified by the
 * Nimbus SDK's {@link ClientAuthenticationVerifier}: the assertion signed by a key of the client's
 * registered JWK set, {@code iss} = {@code sub} = the client, {@code aud} naming this issuer or its
 * token endpoint, unexpired, and its {@code jti} never seen before (each assertion works once;
 * spent ids are remembered until the assertion would have expired). Thread-safe.
 */
final class ClientAssertions {

  private static final int MAX_SPENT = 100_000;

  private final Map<String, Long> spent = new ConcurrentHashMap<>();
  private final ClientAuthenticationVerifier<OAuthClient> verifier;
  private final Clock clock;

  /** @param issuer this server's issuer; assertions may name it or any of its endpoints as audience */
  ClientAssertions(URI issuer, Clock clock) {
    this.clock = clock;
    Set<Audience> audiences = Set.of(new Audience(issuer.toString()), new Audience(issuer + "/oauth2/token"),
        new Audience(issuer + "/oauth2/introspect"), new Audience(issuer + "/oauth2/revoke"));
    this.verifier = new ClientAuthenticationVerifier<>(new RegisteredKeys(), audiences, JWTAudienceCheck.LEGACY,
        new SpentIds());
  }

  /** Whether {@code assertion} proves {@code client} (already looked up by the assertion's client id). */
  boolean verify(PrivateKeyJWT assertion, OAuthClient client) {
    if (client.jwks() == null) {
      return false;
    }
    try {
      Context<OAuthClient> context = new Context<>();
      context.set(client);
      verifier.verify(assertion, null, context);
      return true;
    } catch (InvalidClientException | JOSEException e) {
      return false;
    }
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

  /** Assertion ids already used, until the assertion would have expired. */
  private final class SpentIds implements ExpendedJTIChecker<OAuthClient> {

    @Override
    public boolean isExpended(JWTID jti, ClientID clientId, ClientAuthenticationMethod method,
        Context<OAuthClient> context) {
      Long until = spent.get(clientId.getValue() + '\n' + jti.getValue());
      return until != null && until > clock.millis();
    }

    @Override
    public void markExpended(JWTID jti, Date expiration, ClientID clientId, ClientAuthenticationMethod method,
        Context<OAuthClient> context) {
      long now = clock.millis();
      if (spent.size() >= MAX_SPENT) {
        spent.values().removeIf(until -> until <= now);
      }
      spent.put(clientId.getValue() + '\n' + jti.getValue(), expiration == null ? now + 3_600_000 : expiration.getTime());
    }
  }
}
