package io.gatehouse.oauth;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import io.gatehouse.guard.AuthKind;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Response;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * RFC 8414 authorization server metadata at {@code /.well-known/oauth-authorization-server},
 * built with the Nimbus SDK and listing exactly what this server supports now: the token endpoint,
 * authorization (code with PKCE S256, RFC 9207 {@code iss}), introspection (RFC 7662) and
 * revocation (RFC 7009), the JWK set, the grants and secret-based client authentication.
 */
public final class ServerMetadata {

  private ServerMetadata() {
  }

  public static Endpoint endpoint(URI issuer) {
    String base = issuer.toString();
    AuthorizationServerMetadata metadata = new AuthorizationServerMetadata(new Issuer(base));
    metadata.setAuthorizationEndpointURI(URI.create(base + "/oauth2/authorize"));
    metadata.setTokenEndpointURI(URI.create(base + "/oauth2/token"));
    metadata.setResponseTypes(List.of(ResponseType.CODE));
    metadata.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
    metadata.setSupportsAuthorizationResponseIssuerParam(true);
    metadata.setJWKSetURI(URI.create(base + "/oauth2/jwks"));
    metadata.setGrantTypes(List.of(GrantType.AUTHORIZATION_CODE, GrantType.CLIENT_CREDENTIALS, GrantType.REFRESH_TOKEN));
    List<ClientAuthenticationMethod> secrets =
        List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST);
    metadata.setTokenEndpointAuthMethods(secrets);
    metadata.setIntrospectionEndpointURI(URI.create(base + "/oauth2/introspect"));
    metadata.setIntrospectionEndpointAuthMethods(secrets);
    metadata.setRevocationEndpointURI(URI.create(base + "/oauth2/revoke"));
    metadata.setRevocationEndpointAuthMethods(secrets);
    byte[] body = metadata.toJSONObject().toJSONString().getBytes(StandardCharsets.UTF_8);
    Future<Response> answer = Future.succeededFuture(Response.status(200)
        .header(HttpHeaderNames.CACHE_CONTROL, "public, max-age=300").body(body, "application/json").build());
    return Endpoint.at("oauth:metadata", "/.well-known/oauth-authorization-server").auth(AuthKind.NONE)
        .on(HttpMethod.GET, request -> answer).build();
  }
}
