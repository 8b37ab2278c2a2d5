package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.TestPki;
import io.gatehouse.support.TestUpstream;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS listener: the generated development certificate, TLS versions, HSTS, and client certificates for {@code auth: [mtls]}. */
class TlsIT {

  private static final String ROUTES = """
        routes:
          - { id: open, path: /open/**, upstream: "${UP}", auth: [none] }
          - { id: machines, path: /machines/**, upstream: "${UP}", auth: [mtls] }
          - { id: only-a, path: /only-a/**, upstream: "${UP}", auth: [mtls], mtls: { subjects: ["CN=service-a"] } }
        """;

  private static String yaml(Path ca) {
    return """
        server:
          http: { host: 127.0.0.1, port: 0 }
          https: { host: 127.0.0.1, port: 0, client_ca: "%s" }
        management: { enabled: false }
        store: { embedded: { path: "${DATA}" } }
        """.formatted(ca) + ROUTES;
  }

  private static Certificate serverCert(Path data) throws Exception {
    byte[] pem = Files.readAllBytes(data.resolve("tls/self-signed-cert.pem"));
    return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
  }

  private static HttpResponse<String> get(GatehouseFixture gateway, Path data, TestPki.Issued client, String path, String... headers) throws Exception {
    HttpClient https = HttpClient.newBuilder().sslContext(TestPki.context(serverCert(data), client)).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.gatehouse.httpsPort() + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void selfSignedCertificateIsGeneratedOnceAndReused(@TempDir Path data) throws Exception {
    TestPki pki = new TestPki("ca");
    Path ca = pki.writeCa(data);
    try (TestUpstream up = TestUpstream.start("up")) {
      byte[] first;
      try (GatehouseFixture gateway = GatehouseFixture.startRaw(data, yaml(ca), Map.of("UP", up.url()))) {
        first = Files.readAllBytes(data.resolve("tls/self-signed-cert.pem"));
        assertThat(Files.getPosixFilePermissions(data.resolve("tls/self-signed-key.pem")))
            .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        HttpResponse<String> response = get(gateway, data, null, "/open/x");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000; includeSubDomains");
        assertThat(new JsonObject(response.body()).getJsonObject("headers").getString("x-forwarded-proto")).isEqualTo("https");
      }
      try (GatehouseFixture again = GatehouseFixture.startRaw(data, yaml(ca), Map.of("UP", up.url()))) {
        assertThat(Files.readAllBytes(data.resolve("tls/self-signed-cert.pem"))).isEqualTo(first);
        assertThat(get(again, data, null, "/open/x").statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void onlyTls12And13AreOffered(@TempDir Path data) throws Exception {
    Path ca = new TestPki("ca").writeCa(data);
    try (TestUpstream up = TestUpstream.start("up");
         GatehouseFixture gateway = GatehouseFixture.startRaw(data, yaml(ca), Map.of("UP", up.url()))) {
      for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
        try (SSLSocket socket = (SSLSocket) TestPki.context(serverCert(data), null).getSocketFactory()
            .createSocket("127.0.0.1", gateway.gatehouse.httpsPort())) {
          socket.setEnabledProtocols(new String[] {protocol});
          socket.startHandshake();
          assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
        }
      }
      // The JDK client cannot even offer TLS 1.1, so ask OpenSSL, which still can at security level 0.
      Process openssl = new ProcessBuilder("openssl", "s_client", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0",
          "-connect", "127.0.0.1:" + gateway.gatehouse.httpsPort()).redirectErrorStream(true).start();
      openssl.getOutputStream().close();
      assertThat(openssl.waitFor(20, TimeUnit.SECONDS)).isTrue();
      String output = new String(openssl.getInputStream().readAllBytes());
      assertThat(output).contains("alert protocol version");
    }
  }

  @Test
  void clientCertificatesGuardMtlsRoutes(@TempDir Path data) throws Exception {
    TestPki pki = new TestPki("ca");
    Path ca = pki.writeCa(data);
    TestPki.Issued serviceA = pki.client("service-a", "a.internal");
    TestPki.Issued serviceB = pki.client("service-b", null);
    TestPki.Issued stranger = new TestPki("other-ca").client("service-a", null);
    try (TestUpstream up = TestUpstream.start("up");
         GatehouseFixture gateway = GatehouseFixture.startRaw(data, yaml(ca), Map.of("UP", up.url()))) {
      HttpResponse<String> admitted = get(gateway, data, serviceA, "/machines/x", "X-Gatehouse-Subject", "CN=admin");
      assertThat(admitted.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(admitted.body()).getJsonObject("headers").getString("x-gatehouse-subject")).isEqualTo("CN=service-a");

      assertThat(get(gateway, data, serviceB, "/machines/x").statusCode()).isEqualTo(200);
      assertThat(get(gateway, data, serviceA, "/only-a/x").statusCode()).isEqualTo(200);
      assertThat(get(gateway, data, serviceB, "/only-a/x").statusCode()).isEqualTo(401);
      assertThat(get(gateway, data, null, "/machines/x").statusCode()).isEqualTo(401);
      assertThat(get(gateway, data, null, "/open/x").statusCode()).isEqualTo(200);
      // With a requested (not required) client certificate, JSSE drops one it cannot verify: the caller is anonymous.
      assertThat(get(gateway, data, stranger, "/machines/x").statusCode()).isEqualTo(401);

      HttpResponse<String> plain = gateway.get("/machines/x");
      assertThat(plain.statusCode()).isEqualTo(401);
      assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }
  }
}
