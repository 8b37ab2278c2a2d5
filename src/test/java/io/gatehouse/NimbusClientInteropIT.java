package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.IssuerOnItsOwnPort;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gatehouse as the Nimbus OAuth 2.0 / OpenID Connect SDK's own client classes see it: discovery,
 * client_credentials, authorization code with PKCE, id token validation, refresh, introspection and
 * revocation, every message built and parsed by the SDK and every token verified against the
 * published JWK set.
 */
class NimbusClientInteropIT {

  @TempDir
  static Path dir;
  static IssuerOnItsOwnPort server;
  static GatehouseFixture gateway;
  static String base;
  static OIDCProviderMetadata provider;
  static String secret;
  static String session;

  @BeforeAll
  static void start() throws Exception {
    server = IssuerOnItsOwnPort.start(dir, "nina", "{\"client_id\":\"app\",\"grants\":[\"authorization_code\","
        + "\"client_credentials\",\"refresh_token\"],\"scopes\":[\"openid\",\"read\"],"
        + "\"redirect_uris\":[\"http://127.0.0.1:1/cb\"],\"first_party\":true}");
    gateway = server.gateway;
    base = server.issuer;
    session = server.session;
    secret = server.clientSecret;
    provider = OIDCProviderMetadata.resolve(new Issuer(base));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static ClientSecretBasic credentials() {
    return new ClientSecretBasic(new ClientID("app"), new Secret(secret));
  }

  /** Verifies an access token the way a resource server using Nimbus would: the JWK set by URL, RFC 9068 typ. */
  static JWTClaimsSet verifyAccessToken(AccessToken token) throws Exception {
    JWKSource<SecurityContext> keys = JWKSourceBuilder.create(provider.getJWKSetURI().toURL()).build();
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.ES256), keys));
    return processor.process(token.getValue(), null);
  }

  @Test
  void discoveryNamesThisIssuer() {
    assertThat(provider.getIssuer().getValue()).isEqualTo(base);
    assertThat(provider.getTokenEndpointURI()).hasToString(base + "/oauth2/token");
    assertThat(provider.getCodeChallengeMethods()).containsExactly(CodeChallengeMethod.S256);
    assertThat(provider.getIDTokenJWSAlgs()).contains(JWSAlgorithm.RS256);
    assertThat(provider.getIntrospectionEndpointJWSAlgs()).isEqualTo(provider.getTokenEndpointJWSAlgs()).isNotEmpty();
    assertThat(provider.getRevocationEndpointJWSAlgs()).isEqualTo(provider.getTokenEndpointJWSAlgs());
    assertThat(provider.supportsRequestURIParam()).isFalse();
  }

  @Test
  void clientCredentialsIntrospectionAndRevocation() throws Exception {
    TokenResponse response = TokenResponse.parse(new TokenRequest(provider.getTokenEndpointURI(), credentials(),
        new ClientCredentialsGrant(), new Scope("read")).toHTTPRequest().send());
    assertThat(response.indicatesSuccess()).isTrue();
    AccessToken token = response.toSuccessResponse().getTokens().getAccessToken();
    assertThat(verifyAccessToken(token).getSubject()).isEqualTo("app");

    TokenIntrospectionResponse active = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
        provider.getIntrospectionEndpointURI(), credentials(), token).toHTTPRequest().send());
    assertThat(active.toSuccessResponse().isActive()).isTrue();
    assertThat(active.toSuccessResponse().getScope()).isEqualTo(new Scope("read"));

    assertThat(new TokenRevocationRequest(provider.getRevocationEndpointURI(), credentials(), token).toHTTPRequest()
        .send().getStatusCode()).isEqualTo(200);
    TokenIntrospectionResponse revoked = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
        provider.getIntrospectionEndpointURI(), credentials(), token).toHTTPRequest().send());
    assertThat(revoked.toSuccessResponse().isActive()).isFalse();
  }

  @Test
  void authorizationCodeWithPkceAnIdTokenAndARefresh() throws Exception {
    CodeVerifier verifier = new CodeVerifier();
    Nonce nonce = new Nonce();
    State state = new State();
    URI callback = URI.create("http://127.0.0.1:1/cb");
    AuthorizationRequest request = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID("app"))
        .endpointURI(provider.getAuthorizationEndpointURI())
        .redirectionURI(callback)
        .scope(new Scope("openid", "read"))
        .state(state)
        .codeChallenge(verifier, CodeChallengeMethod.S256)
        .customParameter("nonce", nonce.getValue())
        .build();
    HttpResponse<String> redirect = gateway.send(HttpRequest.newBuilder(request.toURI())
        .header("Authorization", "Bearer " + session).timeout(Duration.ofSeconds(20)).build());
    assertThat(redirect.statusCode()).isEqualTo(302);
    AuthorizationResponse answer = AuthorizationResponse.parse(URI.create(redirect.headers().firstValue("Location")
        .orElseThrow()));
    assertThat(answer.indicatesSuccess()).isTrue();
    assertThat(answer.getState()).isEqualTo(state);
    assertThat(answer.getIssuer().getValue()).isEqualTo(base);
    AuthorizationCode code = answer.toSuccessResponse().getAuthorizationCode();

    TokenResponse tokens = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(), credentials(),
        new AuthorizationCodeGrant(code, callback, verifier)).toHTTPRequest().send());
    assertThat(tokens.indicatesSuccess()).isTrue();
    OIDCTokenResponse oidc = (OIDCTokenResponse) tokens.toSuccessResponse();
    IDTokenValidator validator = new IDTokenValidator(provider.getIssuer(), new ClientID("app"), JWSAlgorithm.RS256,
        provider.getJWKSetURI().toURL());
    assertThat(validator.validate(oidc.getOIDCTokens().getIDToken(), nonce).getSubject().getValue()).isNotBlank();
    BearerAccessToken access = oidc.getOIDCTokens().getBearerAccessToken();
    assertThat(verifyAccessToken(access).getStringClaim("client_id")).isEqualTo("app");

    RefreshToken refresh = oidc.getOIDCTokens().getRefreshToken();
    TokenResponse refreshed = TokenResponse.parse(new TokenRequest(provider.getTokenEndpointURI(), credentials(),
        new RefreshTokenGrant(refresh)).toHTTPRequest().send());
    assertThat(refreshed.indicatesSuccess()).isTrue();
    assertThat(refreshed.toSuccessResponse().getTokens().getRefreshToken()).isNotEqualTo(refresh);
    TokenResponse reused = TokenResponse.parse(new TokenRequest(provider.getTokenEndpointURI(), credentials(),
        new RefreshTokenGrant(refresh)).toHTTPRequest().send());
    assertThat(reused.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
  }
}
