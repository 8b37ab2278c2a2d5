package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import io.gatehouse.support.IssuerOnItsOwnPort;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.core.SpringSecurityCoreVersion;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Spring Security's resource server ({@code spring-security-oauth2-jose}) against a running
 * Gatehouse, configured as the README shows: its default decoder for an issuer accepts only
 * {@code typ: JWT} and so refuses Gatehouse's RFC 9068 access tokens; the README's decoder accepts
 * them, with their issuer and audience, and refuses a token for another audience.
 */
class SpringResourceServerInteropIT {

  @TempDir
  static Path dir;
  static IssuerOnItsOwnPort server;
  static String elsewhereSecret;

  @BeforeAll
  static void start() throws Exception {
    server = IssuerOnItsOwnPort.start(dir, "sam", "{\"client_id\":\"svc\",\"grants\":[\"client_credentials\"],"
        + "\"scopes\":[\"books:read\"]}");
    HttpResponse<String> elsewhere = server.gateway.send(HttpRequest.newBuilder(server.gateway.management("/admin/clients"))
        .header("Authorization", "Bearer " + server.session).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"elsewhere\",\"grants\":[\"client_credentials\"],"
            + "\"scopes\":[\"books:read\"],\"audiences\":[\"https://other.example\"]}")).build());
    assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(201);
    elsewhereSecret = new JsonObject(elsewhere.body()).getString("client_secret");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** The README's {@code JwtDecoder} bean, for Spring Security 6.5 and later (6.x and 7.x). */
  static JwtDecoder readmeJwtDecoder(String issuer) {
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuer)
        .validateType(false) // 6.x: else Nimbus itself accepts typ JWT only (7.x: already off)
        .build();
    decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(
        new JwtIssuerValidator(issuer),
        new JwtAudienceValidator(issuer), // Gatehouse's default aud: tokens.audience, else the issuer
        new JwtTypeValidator("at+jwt"))); // RFC 9068 access tokens
    return decoder;
  }

  /**
   * The README's alternative for Spring Security before 6.5 (no {@code JwtTypeValidator}, no
   * {@code JwtAudienceValidator}): Nimbus's own typ check, told to accept at+jwt.
   */
  static JwtDecoder readmeJwtDecoderBefore65(String issuer) {
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(issuer + "/oauth2/jwks")
        .jwsAlgorithm(SignatureAlgorithm.ES256)
        .jwtProcessorCustomizer(processor -> processor.setJWSTypeVerifier(
            new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt"))))
        .build();
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer),
        new JwtClaimValidator<List<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(issuer))));
    return decoder;
  }

  static String accessToken(String clientId, String secret) throws Exception {
    String credentials = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response = server.gateway.send(HttpRequest.newBuilder(URI.create(server.issuer + "/oauth2/token"))
        .header("Authorization", "Basic " + credentials).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getString("access_token");
  }

  static void assertAccepted(JwtDecoder decoder, String token) {
    Jwt jwt = decoder.decode(token);
    assertThat(jwt.getSubject()).isEqualTo("svc");
    assertThat(jwt.getHeaders()).containsEntry("typ", "at+jwt").containsEntry("alg", "ES256");
    assertThat(jwt.getClaimAsString("scope")).isEqualTo("books:read");
    assertThat(jwt.getAudience()).containsExactly(server.issuer);
  }

  @Test
  void theReadmeDecoderAcceptsGatehouseAccessTokens() throws Exception {
    assertAccepted(readmeJwtDecoder(server.issuer), accessToken("svc", server.clientSecret));
  }

  /**
   * Only on Spring Security 6 (the build's default is 7: {@code -Dspring.security.version=6.5.11
   * -Dspring.version=6.2.19}); on 7.1 a {@code JwtTypeValidator} for {@code JWT} joins the
   * default validators and this variant no longer applies.
   */
  @Test
  void theReadmeDecoderBefore65AcceptsThemOnSpringSecurity6() throws Exception {
    assumeTrue(SpringSecurityCoreVersion.getVersion().startsWith("6."), "Spring Security 6 only");
    assertAccepted(readmeJwtDecoderBefore65(server.issuer), accessToken("svc", server.clientSecret));
  }

  @Test
  void springsDefaultDecoderRefusesThemForTheirType() throws Exception {
    String token = accessToken("svc", server.clientSecret);
    assertThatThrownBy(() -> JwtDecoders.fromIssuerLocation(server.issuer).decode(token))
        .isInstanceOf(JwtException.class).hasMessageContaining("typ");
  }

  @Test
  void theReadmeDecoderRefusesATokenForAnotherAudience() throws Exception {
    String elsewhere = accessToken("elsewhere", elsewhereSecret); // aud: https://other.example
    assertThat(readmeJwtDecoder(server.issuer).decode(accessToken("svc", server.clientSecret)).getSubject()).isEqualTo("svc");
    assertThatThrownBy(() -> readmeJwtDecoder(server.issuer).decode(elsewhere))
        .isInstanceOf(JwtException.class).hasMessageContaining("aud");
  }
}
