package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.Eventually;
import io.gatehouse.support.PostgresDatabase;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar under kill -9: a signup or a logout that got its 2xx survives an immediate
 * SIGKILL and restart. Also the CLI working on the data directory next to a running server.
 */
class DurabilityIT {

  private static final Path JAR = Path.of("target/gatehouse.jar");
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path dir;
  private int port;

  @Test
  void acknowledgedSignupAndLogoutSurviveKill9() throws Exception {
    port = freePort();
    Process server = serve();
    HttpResponse<String> signup = post("/auth/signup", "{\"username\":\"quinn\",\"password\":\"durable as stone\"}", null);
    assertThat(signup.statusCode()).isEqualTo(201);
    kill9(server);

    server = serve();
    HttpResponse<String> login = post("/auth/login", "{\"username\":\"quinn\",\"password\":\"durable as stone\"}", null);
    assertThat(login.statusCode()).as("the acknowledged signup survived").isEqualTo(200);
    String token = new JsonObject(login.body()).getString("session_token");
    assertThat(get("/auth/session", token).statusCode()).isEqualTo(200);
    assertThat(post("/auth/logout", "", token).statusCode()).isEqualTo(204);
    kill9(server);

    server = serve();
    try {
      assertThat(get("/auth/session", token).statusCode()).as("the acknowledged logout survived").isEqualTo(401);
    } finally {
      kill9(server);
    }
  }

  @Test
  void onASharedStoreWhatAnInstanceAcknowledgedSurvivesItsKill9() throws Exception {
    try (PostgresDatabase database = PostgresDatabase.create()) {
      String store = """
          store:
            embedded: { path: ./data }
            postgres: { url: "%s", user: "%s" }
          """.formatted(database.url(), database.user());
      byte[] key = new byte[32];
      new java.security.SecureRandom().nextBytes(key);
      Map<String, String> env = Map.of("GATEHOUSE_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(key));
      int portA = freePort();
      int portB = freePort();
      Process a = serve(dir.resolve("a"), portA, store, env);
      Process b = serve(dir.resolve("b"), portB, store, env);
      try {
        port = portA;
        String session = null;
        for (int i = 0; i < 10; i++) {
          assertThat(post("/auth/signup", "{\"username\":\"shared-" + i + "\",\"password\":\"durable as stone\"}", null)
              .statusCode()).isEqualTo(201);
        }
        session = new JsonObject(post("/auth/login", "{\"username\":\"shared-9\",\"password\":\"durable as stone\"}",
            null).body()).getString("session_token");
        kill9(a); // right after the last 2xx
        port = portB;
        for (int i = 0; i < 10; i++) {
          assertThat(post("/auth/login", "{\"username\":\"shared-" + i + "\",\"password\":\"durable as stone\"}", null)
              .statusCode()).as("signup %d, acknowledged by the killed instance", i).isEqualTo(200);
        }
        assertThat(get("/auth/session", session).statusCode()).as("its session too").isEqualTo(200);
      } finally {
        a.destroyForcibly();
        kill9(b);
      }
    }
  }

  @Test
  void cliManagesUsersNextToARunningServer() throws Exception {
    port = freePort();
    Process server = serve();
    try {
      Cli add = cli("durable pass phrase\n", "user", "add", "rosa", "--role", "admin", "--role", "ops", "--password-stdin");
      assertThat(add.exit()).as(add.output()).isZero();
      assertThat(add.output()).contains("created user rosa (");
      assertThat(post("/auth/login", "{\"username\":\"rosa\",\"password\":\"durable pass phrase\"}", null).statusCode()).isEqualTo(200);

      Cli list = cli("", "user", "list");
      assertThat(list.output()).contains("rosa", "active", "admin,ops");
      assertThat(cli("", "user", "add", "rosa", "--password-stdin").exit()).as("taken").isEqualTo(1);
      assertThat(cli("password\n", "user", "add", "sam", "--password-stdin").exit()).as("common password").isEqualTo(1);
      assertThat(cli("", "user", "add", "tom", "--role", "Bad Role", "--password-stdin").exit()).isEqualTo(2);

      assertThat(cli("a new pass phrase\n", "user", "set-password", "rosa", "--password-stdin").exit()).isZero();
      assertThat(post("/auth/login", "{\"username\":\"rosa\",\"password\":\"durable pass phrase\"}", null).statusCode()).isEqualTo(401);
      String token = new JsonObject(post("/auth/login", "{\"username\":\"rosa\",\"password\":\"a new pass phrase\"}", null).body())
          .getString("session_token");

      assertThat(cli("", "user", "disable", "rosa").exit()).isZero();
      assertThat(get("/auth/session", token).statusCode()).as("a disabled user's session stops at once").isEqualTo(401);
      assertThat(post("/auth/login", "{\"username\":\"rosa\",\"password\":\"a new pass phrase\"}", null).statusCode()).isEqualTo(401);
      assertThat(cli("", "user", "disable", "nobody").exit()).isEqualTo(1);
      assertThat(cli("", "apikey", "revoke", "000000000000").exit()).isEqualTo(1);
    } finally {
      kill9(server);
    }
  }

  private Process serve() throws Exception {
    return serve(dir, port, "", Map.of());
  }

  /** The jar serving HTTP on {@code atPort} from {@code in}, with {@code more} config and {@code env}. */
  private static Process serve(Path in, int atPort, String more, Map<String, String> env) throws Exception {
    Files.createDirectories(in);
    Path config = in.resolve("gatehouse.yaml");
    Files.writeString(config, """
        server:
          http: { host: 127.0.0.1, port: %d }
          https: { enabled: false }
        management: { enabled: false }
        """.formatted(atPort) + more);
    Path log = in.resolve("server.log");
    ProcessBuilder builder = new ProcessBuilder(JAVA, "-jar", JAR.toAbsolutePath().toString(), "serve", "--config",
        config.toString()).directory(in.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    boolean listening = Eventually.read(() -> { // waiting for another process to come up; no clock to fake here
      if (Files.exists(log) && Files.readString(log).contains("Gatehouse is listening")) {
        return true;
      }
      assertThat(process.isAlive()).as(Files.exists(log) ? Files.readString(log) : "no output").isTrue();
      return false;
    }, up -> up, Duration.ofSeconds(60));
    if (listening) {
      return process;
    }
    process.destroyForcibly();
    throw new AssertionError("server did not start: " + Files.readString(log));
  }

  private static void kill9(Process process) throws Exception {
    process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(137);
  }

  private record Cli(int exit, String output) {
  }

  private Cli cli(String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(JAVA, "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--config", dir.resolve("gatehouse.yaml").toString()));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Cli(process.exitValue(), output);
  }

  private HttpResponse<String> post(String path, String json, String bearer) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String bearer) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + bearer).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
