package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.Eventually;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.TestPki;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live reload (issue 20): a reloaded file swaps routes, limits and certificates at once, with
 * nothing lost under load and every request on the old or the new config, never a mix; a file
 * with errors, or with a change only a restart can make, changes nothing and says why; unchanged
 * limits keep their counts; a renewed certificate is picked up from disk, a broken one is not.
 */
class ReloadIT {

  private static final String PASSWORD = "correct horse battery staple";

  @TempDir
  Path data;
  @TempDir
  Path files;
  private GatehouseFixture gateway;

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static String config(String version, String extra) {
    return """
        server:
          http: { host: 127.0.0.1, port: 0 }
          https: { enabled: false }
        management: { host: 127.0.0.1, port: 0 }
        store: { embedded: { path: "${DATA}" } }
        signup: { default_roles: [admin] }
        routes:
          - { id: version, path: /version, auth: [none],
              respond: { status: 200, headers: { X-Config: "%1$s" }, body: "%1$s" } }
          - { id: limited, path: /limited, auth: [none], respond: { status: 200, body: ok },
              rate_limit: { key: ip, limit: 3, per: 1m } }
        """.formatted(version) + extra;
  }

  private Path write(String yaml) throws Exception {
    Path file = files.resolve("gatehouse.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private String admin() throws Exception {
    String credentials = "{\"username\":\"root\",\"password\":\"" + PASSWORD + "\"}";
    post(gateway.http("/auth/signup"), credentials, null);
    return new JsonObject(post(gateway.http("/auth/login"), credentials, null).body()).getString("session_token");
  }

  private HttpResponse<String> post(URI uri, String json, String bearer) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return gateway.send(request.build());
  }

  private HttpResponse<String> reload(String admin) throws Exception {
    return post(gateway.management("/admin/config/reload"), "{}", admin);
  }

  private String readyConfig() throws Exception {
    return new JsonObject(gateway.send(HttpRequest.newBuilder(gateway.management("/health/ready")).build()).body())
        .encode();
  }

  @Test
  void aReloadSwapsRoutesAndTellsItsDigest() throws Exception {
    Path file = write(config("A", ""));
    gateway = GatehouseFixture.startFromFile(data, file, Map.of());
    String admin = admin();
    assertThat(gateway.get("/version").body()).isEqualTo("A");
    assertThat(gateway.get("/added").statusCode()).isEqualTo(404);
    String before = readyConfig();

    write(config("B", "  - { id: added, path: /added, auth: [none], respond: { status: 204 } }\n"));
    HttpResponse<String> reloaded = reload(admin);

    assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
    JsonObject outcome = new JsonObject(reloaded.body());
    assertThat(outcome.getBoolean("changed")).isTrue();
    assertThat(before).doesNotContain(outcome.getString("digest"));
    assertThat(readyConfig()).contains("digest " + outcome.getString("digest"));
    assertThat(gateway.get("/version").body()).isEqualTo("B");
    assertThat(gateway.get("/added").statusCode()).isEqualTo(204);
    assertThat(new JsonObject(reload(admin).body()).getBoolean("changed")).as("the same file again").isFalse();
    assertThat(gateway.send(HttpRequest.newBuilder(gateway.management("/metrics")).build()).body())
        .contains("gatehouse_config_reloads_total{outcome=\"applied\"} 1.0")
        .contains("gatehouse_config_loaded_timestamp_seconds{digest=\"" + outcome.getString("digest") + "\"}");
  }

  @Test
  void aFileWithErrorsChangesNothingAndSaysWhere() throws Exception {
    Path file = write(config("A", ""));
    gateway = GatehouseFixture.startFromFile(data, file, Map.of());
    String admin = admin();

    write(config("B", "  - { id: broken, path: /broken, auth: [none], respond: { status: 999 } }\n"));
    HttpResponse<String> refused = reload(admin);

    assertThat(refused.statusCode()).isEqualTo(400);
    JsonObject problem = new JsonObject(refused.body());
    assertThat(problem.getString("type")).endsWith("config-rejected");
    assertThat(problem.getJsonArray("errors").encode()).contains(file.toString() + ":").contains("status");
    assertThat(gateway.get("/version").body()).isEqualTo("A");
    assertThat(gateway.get("/broken").statusCode()).isEqualTo(404);
    assertThat(gateway.send(HttpRequest.newBuilder(gateway.management("/metrics")).build()).body())
        .contains("gatehouse_config_reloads_total{outcome=\"failed\"} 1.0");
  }

  @Test
  void whatOnlyARestartCanChangeIsRefusedByName() throws Exception {
    Path file = write(config("A", ""));
    gateway = GatehouseFixture.startFromFile(data, file, Map.of());
    String admin = admin();

    write(config("B", "").replace("http: { host: 127.0.0.1, port: 0 }", "http: { host: 127.0.0.1, port: 18080 }")
        + "tokens: { access_ttl: 2m }\n");
    HttpResponse<String> refused = reload(admin);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(refused.body()).getJsonArray("errors").getList()).containsExactly(
        "server.http: cannot change while running; restart to apply",
        "tokens: cannot change while running; restart to apply");
    assertThat(gateway.get("/version").body()).as("nothing changed").isEqualTo("A");
  }

  @Test
  void unchangedLimitsKeepTheirCounts() throws Exception {
    Path file = write(config("A", ""));
    gateway = GatehouseFixture.startFromFile(data, file, Map.of());
    assertThat(gateway.get("/limited").statusCode()).isEqualTo(200);
    assertThat(gateway.get("/limited").statusCode()).isEqualTo(200);

    write(config("B", ""));
    assertThat(gateway.gatehouse.reload("test").await()).isEmpty();

    assertThat(gateway.get("/version").body()).isEqualTo("B");
    assertThat(gateway.get("/limited").statusCode()).as("the third of three").isEqualTo(200);
    assertThat(gateway.get("/limited").statusCode()).as("the limit counted across the reload").isEqualTo(429);
  }

  @Test
  void underLoadEveryRequestSeesOneConfigAndNoneIsLost() throws Exception {
    Path file = write(config("A", ""));
    gateway = GatehouseFixture.startFromFile(data, file, Map.of());
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger answered = new AtomicInteger();
    ConcurrentLinkedQueue<String> broken = new ConcurrentLinkedQueue<>();
    List<Thread> clients = List.of(new Thread(() -> load(running, answered, broken)),
        new Thread(() -> load(running, answered, broken)));
    clients.forEach(Thread::start);
    // At least 8 reloads, and on until the clients have had 200 answers across them.
    for (int i = 0; i < 8 || answered.get() < 200 && i < 500; i++) {
      write(config(i % 2 == 0 ? "B" : "A", ""));
      assertThat(gateway.gatehouse.reload("test").await()).isEmpty();
    }
    running.set(false);
    for (Thread client : clients) {
      client.join(20_000);
    }
    assertThat(broken).isEmpty();
    assertThat(answered.get()).isGreaterThanOrEqualTo(200);
  }

  private void load(AtomicBoolean running, AtomicInteger answered, ConcurrentLinkedQueue<String> broken) {
    while (running.get()) {
      try {
        HttpResponse<String> response = gateway.get("/version");
        String header = response.headers().firstValue("X-Config").orElse("-");
        if (response.statusCode() != 200 || !response.body().equals(header)) {
          broken.add(response.statusCode() + " " + header + " " + response.body());
        }
        answered.incrementAndGet();
      } catch (Exception e) {
        broken.add(e.toString());
      }
    }
  }

  @Test
  void aRenewedCertificateIsServedAndABrokenOneIsNot() throws Exception {
    TestPki pki = new TestPki("reload-ca");
    Path cert = files.resolve("server.pem");
    Path key = files.resolve("server.key");
    TestPki.Issued first = pki.client("localhost", "localhost");
    TestPki.writePem(first, cert, key);
    Path file = write("""
        server:
          http: { host: 127.0.0.1, port: 0 }
          https: { host: 127.0.0.1, port: 0, cert: "%s", key: "%s" }
        management: { host: 127.0.0.1, port: 0 }
        store: { embedded: { path: "${DATA}" } }
        reload: { interval: 100ms }
        """.formatted(cert, key));
    gateway = GatehouseFixture.startFromFile(data, file, Map.of());
    assertThat(servedSerial()).isEqualTo(first.certificate().getSerialNumber());

    TestPki.Issued renewed = pki.client("localhost", "localhost");
    TestPki.writePem(renewed, cert, key);
    Eventually.until("the renewed certificate, without a reload or a restart",
        () -> servedSerial().equals(renewed.certificate().getSerialNumber()), Duration.ofSeconds(10));

    Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
    Eventually.until("the broken renewal was read", () -> gateway.send(HttpRequest.newBuilder(
        gateway.management("/metrics")).build()).body().contains("gatehouse_tls_reloads_total{outcome=\"failed\"} 1.0"),
        Duration.ofSeconds(10));
    assertThat(servedSerial()).as("the last good certificate stays").isEqualTo(renewed.certificate().getSerialNumber());
  }

  private BigInteger servedSerial() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String type) {
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String type) {
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
        gateway.gatehouse.httpsPort())) {
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }
}
