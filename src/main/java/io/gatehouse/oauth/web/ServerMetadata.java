package io.gatehouse.oauth.web;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.gatehouse.config.AuthKind;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Response;
import io.gatehouse.oauth.IdTokens;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Arrays;
import java.util.List;
import io.gatehouse.config.AuthLevel;
import com.nimbusds.openid.connect.sdk.claims.ACR;

/**
 * The server's metadata, built with the Nimbus SDK and listing exactly what it supports: one
 * document served as OpenID Connect Discovery ({@code /.well-known/openid-configuration}) and as
 * RFC 8414 ({@code /.well-known/oauth-authorization-server}): authorization (code with PKCE S256,
 * RFC 9207 {@code iss}), token, userinfo, introspection (RFC 7662) and revocation (RFC 7009)
 * endpoints, the JWK set, the grants, client authentication (secrets and {@code private_key_jwt},
 * with the algorithms of its assertions at each endpoint that takes it, RFC 8414 §2), the id token
 * algorithms (RS256, which OpenID Connect Core §15.1 requires, and {@code tokens.algorithm}), the
 * standard scopes and the claims they carry. Request objects are not supported:
 * {@code request_uri_parameter_supported} is stated false, since Discovery §3 makes it true when
 * absent ({@code request_parameter_supported} defaults to false).
 */
public final class ServerMetadata {

  private ServerMetadata() {
  }

  /** The algorithms a {@code private_key_jwt} assertion may be signed with (Nimbus's verifier checks them all). */
  private static final List<JWSAlgorithm> ASSERTION_ALGORITHMS = List.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256,
      JWSAlgorithm.PS256);

  /**
   * @param idTokenAlgorithms the algorithms id tokens may be signed with, as
   *     {@code TokensConfig.signingAlgorithms()} lists them
   */
  public static List<Endpoint> endpoints(URI issuer, List<String> idTokenAlgorithms) {
    String base = issuer.toString();
    OIDCProviderMetadata metadata = new OIDCProviderMetadata(new Issuer(base), List.of(SubjectType.PUBLIC),
        URI.create(base + "/oauth2/jwks"));
    metadata.setAuthorizationEndpointURI(URI.create(base + "/oauth2/authorize"));
    metadata.setTokenEndpointURI(URI.create(base + "/oauth2/token"));
    metadata.setUserInfoEndpointURI(URI.create(base + "/oauth2/userinfo"));
    metadata.setEndSessionEndpointURI(URI.create(base + "/oauth2/logout"));
    metadata.setResponseTypes(List.of(ResponseType.CODE));
    metadata.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
    metadata.setSupportsAuthorizationResponseIssuerParam(true);
    metadata.setGrantTypes(List.of(GrantType.AUTHORIZATION_CODE, GrantType.CLIENT_CREDENTIALS, GrantType.REFRESH_TOKEN));
    List<ClientAuthenticationMethod> secrets = List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
        ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientAuthenticationMethod.PRIVATE_KEY_JWT);
    metadata.setTokenEndpointJWSAlgs(ASSERTION_ALGORITHMS);
    metadata.setTokenEndpointAuthMethods(secrets);
    metadata.setIntrospectionEndpointURI(URI.create(base + "/oauth2/introspect"));
    metadata.setIntrospectionEndpointAuthMethods(secrets);
    metadata.setIntrospectionEndpointJWSAlgs(ASSERTION_ALGORITHMS);
    metadata.setRevocationEndpointURI(URI.create(base + "/oauth2/revoke"));
    metadata.setRevocationEndpointAuthMethods(secrets);
    metadata.setRevocationEndpointJWSAlgs(ASSERTION_ALGORITHMS);
    // RS256 first: the one every relying party can check.
    metadata.setIDTokenJWSAlgs(idTokenAlgorithms.stream().sorted(Comparator.comparing(a -> !a.equals("RS256")))
        .map(JWSAlgorithm::parse).toList());
    metadata.setSupportsRequestURIParam(false);
    metadata.setScopes(new Scope(IdTokens.OPENID, IdTokens.PROFILE, IdTokens.EMAIL));
    metadata.setClaims(List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "sid", "amr", "acr",
        "preferred_username", "email"));
    // OpenID Connect Discovery §3: the classes acr_values may ask for (io.gatehouse.config.AuthLevel).
    metadata.setACRs(Arrays.stream(AuthLevel.values()).map(level -> new ACR(level.acr())).toList());
    byte[] body = metadata.toJSONObject().toJSONString().getBytes(StandardCharsets.UTF_8);
    Future<Response> answer = Future.succeededFuture(Response.status(200)
        .header(HttpHeaderNames.CACHE_CONTROL, "public, max-age=300").body(body, "application/json").build());
    return List.of(
        Endpoint.at("oauth:openid-configuration", "/.well-known/openid-configuration").auth(AuthKind.NONE)
            .on(HttpMethod.GET, request -> answer).build(),
        Endpoint.at("oauth:metadata", "/.well-known/oauth-authorization-server").auth(AuthKind.NONE)
            .on(HttpMethod.GET, request -> answer).build());
  }
}
